import Foundation
import KMSAPI
import KMSLocal
import Testing

/// The real transport against an in-process kms-local on loopback.
struct URLSessionTransportTests {
    /// Cancelling requests as they complete once deadlocked `URLSession.data(for:)` on Linux (the
    /// cancellation handler and the session's work queue each waited for the other); a task group
    /// that cancels its siblings must always finish.
    @Test(.timeLimit(.minutes(1)))
    func cancellingRequestsAsTheyCompleteNeverHangs() async throws {
        var configuration = KMSLocalConfiguration()
        configuration.port = 0
        let server = KMSLocalServer(configuration: configuration, now: { Date() })
        try server.start()
        defer { server.stop() }
        let transport = URLSessionTransport(connectTimeout: 5, requestTimeout: 10)
        let request = HTTPRequest(method: "GET", url: server.endpoint.appendingPathComponent("_kms_local/health"))

        var answered = 0
        var cancelled = 0
        for _ in 0..<150 {
            let outcomes = await withTaskGroup(of: Bool.self) { group in
                for _ in 0..<8 {
                    group.addTask { (try? await transport.send(request))?.status == 200 }
                }
                // Cancel the rest as soon as the first answer arrives: some are finishing right then.
                var outcomes = [await group.next() ?? false]
                group.cancelAll()
                while let outcome = await group.next() { outcomes.append(outcome) }
                return outcomes
            }
            answered += outcomes.filter { $0 }.count
            cancelled += outcomes.filter { !$0 }.count
        }
        #expect(answered + cancelled == 150 * 8)
        #expect(answered >= 150)
    }

    @Test func cancelledBeforeSendingThrowsCancellationError() async throws {
        var configuration = KMSLocalConfiguration()
        configuration.port = 0
        let server = KMSLocalServer(configuration: configuration, now: { Date() })
        try server.start()
        defer { server.stop() }
        let transport = URLSessionTransport()
        let request = HTTPRequest(method: "GET", url: server.endpoint.appendingPathComponent("_kms_local/health"))

        let result = await withTaskGroup(of: (any Error)?.self) { group in
            group.cancelAll()
            group.addTask {
                do {
                    _ = try await transport.send(request)
                    return nil
                } catch {
                    return error
                }
            }
            return await group.next() ?? nil
        }
        #expect(result is CancellationError)
    }
}
