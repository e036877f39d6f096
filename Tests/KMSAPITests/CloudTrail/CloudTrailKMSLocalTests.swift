import Foundation
import KMSAPI
import KMSLocal
import Testing

/// The client against kms-local over real loopback HTTP under `--quotas aws`: paced by the one
/// CloudTrail quota table, a sweep reads every page without a single throttle.
///
/// The server's wall clock is the client's `RecordingClock` (whose sleeps return at once), so
/// pacing waits move both sides' time and the test never really sleeps.
struct CloudTrailKMSLocalTests {
    static let keys = ["1234abcd-12ab-34cd-56ef-1234567890ab", "2234abcd-12ab-34cd-56ef-1234567890ab", "3234abcd-12ab-34cd-56ef-1234567890ab"]

    @Test func aPacedSweepReadsEveryPageWithoutAThrottle() async throws {
        let clock = RecordingClock()
        let start = Date()
        let now: @Sendable () -> Date = {
            let elapsed = clock.elapsed.components
            return start.addingTimeInterval(Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18)
        }
        let events = Self.keys.map {
            #"{"eventName": "Decrypt", "eventTime": "\#(start.addingTimeInterval(-3600).formatted(.iso8601))", "keyId": "\#($0)", "errorCode": "DisabledException", "count": 120}"#
        }
        var configuration = KMSLocalConfiguration()
        configuration.port = 0
        configuration.quotas = .aws(multiplier: 1)
        configuration.seedData = Data(#"""
            {"seedVersion": 1, "keys": [\#(Self.keys.map { #"{"id": "\#($0)", "state": "Disabled"}"# }.joined(separator: ","))],
             "cloudtrailEvents": [\#(events.joined(separator: ","))]}
            """#.utf8)
        let server = KMSLocalServer(configuration: configuration, now: now)
        try server.start()
        defer { server.stop() }
        let client = CloudTrailClient(
            configuration: KMSClientConfiguration(region: "us-east-1", endpoint: server.endpoint, maxAttempts: 1),
            credentials: StaticCredentialProvider(Credentials(accessKeyID: "AKIDKMSLOCAL", secretAccessKey: "kms-local-secret")),
            transport: URLSessionTransport(), rateLimiter: RateLimiter(clock: clock, quotas: RateLimiter.cloudTrailQuotas),
            clock: clock, now: now, random: .seeded(1))
        for key in Self.keys {
            let arn = "arn:aws:kms:us-east-1:111122223333:key/\(key)"
            var sizes: [Int] = []
            for try await page in client.pages(LookupEventsRequest(lookupAttributes: [LookupAttribute(.resourceName, arn)])) {
                sizes.append(page.events.count)
                #expect(page.events.allSatisfy { $0.record.errorCode == "DisabledException" })
            }
            #expect(sizes == [50, 50, 20])
        }
        let counts = client.metrics.counts(for: LookupEvents.name)
        #expect(counts.calls == 9)
        #expect(counts.throttles == 0)
        #expect(counts.errors == 0)
        // 9 lookups at 2 × 0.95 per second: the quota-bound minimum of 8 intervals.
        let elapsed = Double(clock.elapsed.components.seconds) + Double(clock.elapsed.components.attoseconds) / 1e18
        #expect(abs(elapsed - 8 / 1.9) < 0.01)
    }
}
