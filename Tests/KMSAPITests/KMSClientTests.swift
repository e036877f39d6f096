import Foundation
import KMSAPI
import Synchronization
import Testing

struct KMSClientTests {
    private func makeClient(
        _ transport: ScriptedTransport, clock: any Clock<Duration> = RecordingClock(), maxAttempts: Int? = nil,
        retryMode: String = "standard", rateLimiter: RateLimiter = .unlimited,
        observer: (@Sendable (KMSCallEvent) -> Void)? = nil
    ) -> KMSClient {
        KMSClientFactory.makeClient(
            transport: transport, clock: clock, maxAttempts: maxAttempts, retryMode: retryMode,
            rateLimiter: rateLimiter, observer: observer)
    }

    @Test func sendsJSONPostWithTargetContentTypeAndSignedHeaders() async throws {
        let transport = ScriptedTransport([.success(ScriptedTransport.ok(#"{"KeyMetadata":{"KeyId":"k1"}}"#))])
        _ = try await makeClient(transport).describeKey("k1")
        let request = try #require(transport.requests.first)
        #expect(request.method == "POST")
        #expect(request.url.absoluteString == "https://kms.us-east-1.amazonaws.com/")
        #expect(request.headers["X-Amz-Target"] == "TrentService.DescribeKey")
        #expect(request.headers["Content-Type"] == "application/x-amz-json-1.1")
        #expect(request.headers["X-Amz-Date"] == "20150830T123600Z")
        #expect(request.headers["X-Amz-Security-Token"] == "TOKENEXAMPLE")
        #expect(request.headers["User-Agent"] == "decommission-tests")
        #expect(String(decoding: request.body, as: UTF8.self) == #"{"KeyId":"k1"}"#)
        let authorization = try #require(request.headers["Authorization"])
        #expect(authorization.hasPrefix("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/kms/aws4_request"))
        let signedHeaders = try #require(authorization.split(separator: " ").first { $0.hasPrefix("SignedHeaders=") })
        for name in ["content-type", "host", "x-amz-date", "x-amz-target"] { #expect(signedHeaders.contains(name)) }
        #expect(!signedHeaders.contains("user-agent"))
        #expect(!authorization.contains("SECRETEXAMPLE"))
        // User-Agent was added after signing, so the signature still verifies with it present.
        let verified = SigV4Verifier(service: "kms").verify(request, now: KMSClientFactory.signingDate) { key in
            key == "AKIDEXAMPLE" ? "SECRETEXAMPLE" : nil
        }
        #expect(try verified.get() == VerifiedCaller(accessKeyID: "AKIDEXAMPLE", region: "us-east-1", sessionToken: "TOKENEXAMPLE"))
    }

    @Test func keepsRequestIDAndCountsOneAttemptOnSuccess() async throws {
        let transport = ScriptedTransport([.success(ScriptedTransport.ok(#"{"KeyMetadata":{"KeyId":"k1"}}"#, requestID: "r-123"))])
        let response = try await makeClient(transport).send(DescribeKey.self, KeyIDRequest(keyID: "k1"))
        #expect(response.requestID == "r-123")
        #expect(response.attempts == 1)
        #expect(response.output.keyMetadata?.keyID == "k1")
    }

    @Test func mapsAnErrorAnswerKeepingNameStatusAndRequestID() async throws {
        let transport = ScriptedTransport([.success(ScriptedTransport.failure("NotFoundException", requestID: "r-404"))])
        let error = try await #require(throws: KMSError.self) { try await makeClient(transport).describeKey("nope") }
        #expect(error.code == .keyNotFound)
        #expect(error.awsErrorType == "NotFoundException")
        #expect(error.requestID == "r-404")
        #expect(error.httpStatus == 400)
        #expect(transport.requests.count == 1)
    }

    @Test func retriesThrottlingThenSucceedsSleepingOnTheClock() async throws {
        let clock = RecordingClock()
        let events = Mutex<[KMSCallEvent]>([])
        let transport = ScriptedTransport([
            .success(ScriptedTransport.failure("ThrottlingException", requestID: "r-1")),
            .success(ScriptedTransport.failure("ThrottlingException", requestID: "r-2")),
            .success(ScriptedTransport.ok(#"{"KeyMetadata":{"KeyId":"k1"}}"#, requestID: "r-3")),
        ])
        let client = makeClient(transport, clock: clock) { event in events.withLock { $0.append(event) } }
        let response = try await client.send(DescribeKey.self, KeyIDRequest(keyID: "k1"))
        #expect(response.attempts == 3)
        #expect(response.requestID == "r-3")
        #expect(transport.requests.count == 3)
        let sleeps = clock.sleeps
        #expect(sleeps.count == 2)
        #expect(sleeps[0] > .zero && sleeps[0] <= .milliseconds(500))
        #expect(sleeps[1] > .zero && sleeps[1] <= .seconds(1))
        let recorded = events.withLock { $0 }
        #expect(recorded.map(\.willRetry) == [true, true, false])
        #expect(recorded.map(\.attempt) == [1, 2, 3])
        #expect(recorded.map(\.requestID) == ["r-1", "r-2", "r-3"])
        #expect(recorded[0].errorType == "ThrottlingException" && recorded[0].errorCode == .throttled)
        #expect(recorded[2].status == 200 && recorded[2].errorCode == nil)
        #expect(client.metrics.counts(for: DescribeKey.name) == KMSClientMetrics.Counts(calls: 1, attempts: 3, throttles: 2, errors: 0))
        // The first retry's cost (5) is refunded on success.
        #expect(client.retryQuota?.available == 495)
    }

    @Test(arguments: ["LimitExceededException", "NotFoundException", "AccessDeniedException", "KMSInvalidStateException"])
    func doesNotRetryClientErrors(type: String) async throws {
        let clock = RecordingClock()
        let transport = ScriptedTransport { _, _ in ScriptedTransport.failure(type) }
        let client = makeClient(transport, clock: clock)
        let error = try await #require(throws: KMSError.self) { try await client.createKey() }
        #expect(error.awsErrorType == type)
        #expect(transport.requests.count == 1)
        #expect(clock.sleeps.isEmpty)
        #expect(client.metrics.counts(for: CreateKey.name).errors == 1)
    }

    @Test(arguments: [("standard", 3), ("legacy", 5), ("adaptive", 3)])
    func givesUpAfterMaxAttempts(mode: String, attempts: Int) async throws {
        let transport = ScriptedTransport { _, _ in ScriptedTransport.failure("KMSInternalException", status: 500, requestID: "r-last") }
        let error = try await #require(throws: KMSError.self) {
            try await makeClient(transport, retryMode: mode).describeKey("k1")
        }
        #expect(error.code == .serviceUnavailable)
        #expect(error.requestID == "r-last")
        #expect(transport.requests.count == attempts)
    }

    @Test func retriesTransportErrors() async throws {
        let transport = ScriptedTransport { _, index in
            if index == 0 { throw KMSError(code: .connectionLost, message: "Lost.", retryability: .transient) }
            return ScriptedTransport.ok()
        }
        let client = makeClient(transport)
        _ = try await client.describeKey("k1")
        #expect(transport.requests.count == 2)
        #expect(client.retryQuota?.available == 500)
    }

    @Test func stopsRetryingWhenTheRetryQuotaIsEmpty() async throws {
        let transport = ScriptedTransport { _, _ in ScriptedTransport.failure("ServiceUnavailable", status: 503) }
        let client = makeClient(transport, maxAttempts: 1000)
        await #expect(throws: KMSError.self) { _ = try await client.describeKey("k1") }
        // 500 tokens pay for 100 retries at 5 each, after the first attempt.
        #expect(transport.requests.count == 101)
        #expect(client.retryQuota?.available == 0)
        await #expect(throws: KMSError.self) { _ = try await client.describeKey("k1") }
        #expect(transport.requests.count == 102)
    }

    @Test func legacyModeHasNoRetryQuota() async throws {
        let transport = ScriptedTransport { _, _ in ScriptedTransport.failure("ServiceUnavailable", status: 503) }
        let client = makeClient(transport, maxAttempts: 150, retryMode: "legacy")
        await #expect(throws: KMSError.self) { _ = try await client.describeKey("k1") }
        #expect(client.retryQuota == nil)
        #expect(transport.requests.count == 150)
    }

    @Test func neverResendsAChangeWhoseOutcomeIsUnknown() async throws {
        for failure in [
            KMSError(code: .connectionLost, message: "Lost.", retryability: .transient),
            KMSError(code: .timeout, message: "Slow.", retryability: .transient),
        ] {
            let transport = ScriptedTransport { _, _ in throw failure }
            let error = try await #require(throws: KMSError.self) {
                _ = try await makeClient(transport).scheduleKeyDeletion("k1", pendingWindowInDays: 7)
            }
            #expect(error.code == failure.code)
            #expect(transport.requests.count == 1, "\(failure.code) must not be resent")
        }
        let internalError = ScriptedTransport { _, _ in ScriptedTransport.failure("KMSInternalException", status: 500) }
        await #expect(throws: KMSError.self) { try await makeClient(internalError).disconnectCustomKeyStore("cks-1") }
        #expect(internalError.requests.count == 1)
        // A change refused before KMS looked at it (throttled) is still retried.
        let throttled = ScriptedTransport { _, index in
            index == 0 ? ScriptedTransport.failure("ThrottlingException") : ScriptedTransport.ok("{}")
        }
        _ = try await makeClient(throttled).scheduleKeyDeletion("k1", pendingWindowInDays: 7)
        #expect(throttled.requests.count == 2)
    }

    @Test func undecodableAnswerIsInvalidResponseWithoutTheBody() async throws {
        let transport = ScriptedTransport([.success(ScriptedTransport.ok(#"{"Plaintext": 12, "SECRETBODY": true"#))])
        let error = try await #require(throws: KMSError.self) { try await makeClient(transport).decrypt(Data([1, 2])) }
        #expect(error.code == .invalidResponse)
        #expect(error.message.contains("Decrypt"))
        #expect(!error.message.contains("SECRETBODY"))
        #expect(transport.requests.count == 1)
    }

    @Test func decodesEmptyBodiesAndFractionalEpochDates() async throws {
        let transport = ScriptedTransport([
            .success(ScriptedTransport.ok("")),
            .success(ScriptedTransport.ok(#"{"KeyMetadata":{"KeyId":"k1","CreationDate":1537582718.431,"KeyState":"PendingDeletion"}}"#)),
        ])
        let client = makeClient(transport)
        try await client.disableKey("k1")
        let metadata = try #require(try await client.describeKey("k1").keyMetadata)
        let created = try #require(metadata.creationDate)
        #expect(abs(created.timeIntervalSince1970 - 1_537_582_718.431) < 0.0005)
        #expect(metadata.keyState == .pendingDeletion)
    }

    @Test func cancelledTaskSendsNothing() async throws {
        let transport = ScriptedTransport { _, _ in ScriptedTransport.ok() }
        let client = makeClient(transport)
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            try await client.enableKey("k1")
        }
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(transport.requests.isEmpty)
    }

    @Test func everyModeSlowsPacingOnThrottles() async throws {
        for (mode, expected) in [("adaptive", 0.7), ("standard", 0.7), ("legacy", 0.7)] {
            let limiter = RateLimiter(clock: RecordingClock(), quotas: [DescribeKey.name: 1000], headroom: 1)
            let transport = ScriptedTransport { _, index in
                index == 0 ? ScriptedTransport.failure("ThrottlingException") : ScriptedTransport.ok("{}")
            }
            _ = try await makeClient(transport, retryMode: mode, rateLimiter: limiter).describeKey("k1")
            let rate = try #require(limiter.currentRate(DescribeKey.name))
            #expect(abs(rate - 1000 * expected) < 1, "mode \(mode)")
        }
    }

    @Test func pacesEachAttemptThroughTheRateLimiter() async throws {
        let clock = RecordingClock()
        let limiter = RateLimiter(clock: clock, quotas: [EnableKey.name: 5], headroom: 1)
        let client = makeClient(ScriptedTransport { _, _ in ScriptedTransport.ok() }, clock: clock, rateLimiter: limiter)
        for _ in 0..<4 { try await client.enableKey("k1") }
        #expect(clock.sleeps == [.milliseconds(200), .milliseconds(200), .milliseconds(200)])
    }
}
