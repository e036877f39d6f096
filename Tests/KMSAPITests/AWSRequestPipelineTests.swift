import Foundation
import KMSAPI
import Synchronization
import Testing

struct AWSRequestPipelineTests {
    private func makePipeline(
        _ transport: ScriptedTransport, signingName: String = "sts", credentials: (any CredentialProvider)? = nil,
        errorDecoder: @escaping AWSErrorDecoder = { AWSErrorMapping.error(forXML: $0, operation: $1) },
        observer: (@Sendable (KMSCallEvent) -> Void)? = nil
    ) -> AWSRequestPipeline {
        AWSRequestPipeline(
            signingName: signingName, region: "eu-west-1", retryMode: .standard, maxAttempts: 3, userAgent: "tests",
            credentials: credentials, transport: transport, rateLimiter: .unlimited, clock: RecordingClock(),
            now: { KMSClientFactory.signingDate }, random: .seeded(1), errorDecoder: errorDecoder, observer: observer)
    }

    private let request = HTTPRequest(method: "POST", url: URL(string: "https://sts.eu-west-1.amazonaws.com/")!, body: Data("Action=X".utf8))

    @Test func signsForItsOwnServiceAndRegion() async throws {
        let transport = ScriptedTransport([.success(HTTPResponse(status: 200, body: Data("ok".utf8)))])
        let pipeline = makePipeline(transport, credentials: StaticCredentialProvider(KMSClientFactory.credentials))
        let answer = try await pipeline.send(AWSCall(operation: "AssumeRole", request: request, isMutating: false)) {
            String(decoding: $0.body, as: UTF8.self)
        }
        #expect(answer.output == "ok")
        let sent = try #require(transport.requests.first)
        #expect(sent.headers["Authorization"]?.contains("/20150830/eu-west-1/sts/aws4_request") == true)
        #expect(sent.headers["X-Amz-Security-Token"] == "TOKENEXAMPLE")
        #expect(sent.headers["User-Agent"] == "tests")
    }

    @Test func sendsUnsignedCallsWithoutCredentials() async throws {
        let transport = ScriptedTransport([.success(HTTPResponse(status: 200))])
        let pipeline = makePipeline(transport)
        _ = try await pipeline.send(AWSCall(operation: "AssumeRoleWithWebIdentity", request: request, isMutating: false, signing: .unsigned)) { _ in 0 }
        #expect(transport.requests.first?.headers["Authorization"] == nil)
        #expect(transport.requests.first?.headers["X-Amz-Date"] == nil)
    }

    @Test func aSignedCallWithoutCredentialsFailsBeforeSending() async throws {
        let transport = ScriptedTransport([.success(HTTPResponse(status: 200))])
        let error = await #expect(throws: KMSError.self) {
            try await makePipeline(transport).send(AWSCall(operation: "AssumeRole", request: request, isMutating: false)) { _ in 0 }
        }
        #expect(error?.code == .noCredentials)
        #expect(transport.requests.isEmpty)
    }

    @Test func retriesAnXMLThrottleThenReportsEveryAttemptForItsService() async throws {
        let throttle = HTTPResponse(status: 400, body: Data("""
            <ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>r-7</RequestId></ErrorResponse>
            """.utf8))
        let transport = ScriptedTransport([.success(throttle), .success(HTTPResponse(status: 200))])
        let events = EventRecorder()
        let pipeline = makePipeline(transport, observer: { events.append($0) })
        _ = try await pipeline.send(AWSCall(operation: "GetCallerIdentity", request: request, isMutating: false, signing: .unsigned)) { _ in 0 }
        #expect(transport.requests.count == 2)
        #expect(events.all.map(\.service) == ["sts", "sts"])
        #expect(events.all.first?.requestID == "r-7")
        #expect(pipeline.metrics.counts(for: "GetCallerIdentity").throttles == 1)
    }

    @Test func neverResendsAMutatingCallWhoseOutcomeIsUnknown() async throws {
        let transport = ScriptedTransport([.failure(KMSError(code: .connectionLost, message: "lost", retryability: .transient))])
        let error = await #expect(throws: KMSError.self) {
            try await makePipeline(transport).send(AWSCall(operation: "PutObject", request: request, isMutating: true, signing: .unsigned)) { _ in 0 }
        }
        #expect(error?.code == .connectionLost)
        #expect(transport.requests.count == 1)
    }
}

/// Collects events from a `@Sendable` observer.
final class EventRecorder: Sendable {
    private let events = Mutex<[KMSCallEvent]>([])
    func append(_ event: KMSCallEvent) { events.withLock { $0.append(event) } }
    var all: [KMSCallEvent] { events.withLock { $0 } }
}
