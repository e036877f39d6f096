import KMSAPI
import Testing

struct RetryPolicyTests {
    static let throttling = KMSError(code: .throttled, message: "Slow down.", awsErrorType: "ThrottlingException", httpStatus: 400, retryability: .throttling)
    static let server = KMSError(code: .serviceUnavailable, message: "Internal.", awsErrorType: "KMSInternalException", httpStatus: 500, retryability: .serverError)
    static let timeout = KMSError(code: .timeout, message: "Timed out.", retryability: .transient)
    static let notFound = KMSError(code: .keyNotFound, message: "No key.", awsErrorType: "NotFoundException", httpStatus: 400)

    private func makePolicy(_ mode: RetryMode = .standard, maxAttempts: Int? = nil, seed: UInt64 = 7) -> RetryPolicy {
        RetryPolicy(mode: mode, maxAttempts: maxAttempts, random: .seeded(seed))
    }

    @Test(arguments: [throttling, server, timeout])
    func retriesRetryableErrorsUntilMaxAttempts(error: KMSError) {
        let policy = makePolicy()
        #expect(policy.decide(error: error, attempt: 1) != .giveUp)
        #expect(policy.decide(error: error, attempt: 2) != .giveUp)
        #expect(policy.decide(error: error, attempt: 3) == .giveUp)
    }

    @Test func givesUpOnClientErrors() {
        #expect(makePolicy().decide(error: Self.notFound, attempt: 1) == .giveUp)
    }

    @Test func neverRetriesLimitExceededEvenWhenMarkedRetryable() {
        let limit = KMSError(code: .limitExceeded, message: "Too many keys.", awsErrorType: "LimitExceededException", retryability: .throttling)
        let renamed = KMSError(code: .throttled, message: "Odd.", awsErrorType: "LimitExceededException", retryability: .throttling)
        #expect(makePolicy().decide(error: limit, attempt: 1) == .giveUp)
        #expect(makePolicy().decide(error: renamed, attempt: 1) == .giveUp)
    }

    @Test func defaultsMaxAttemptsByMode() {
        #expect(makePolicy(.standard).maxAttempts == 3)
        #expect(makePolicy(.adaptive).maxAttempts == 3)
        #expect(makePolicy(.legacy).maxAttempts == 5)
        #expect(makePolicy(.legacy, maxAttempts: 2).maxAttempts == 2)
        #expect(makePolicy(maxAttempts: 0).maxAttempts == 1)
        #expect(makePolicy(maxAttempts: 1).decide(error: Self.throttling, attempt: 1) == .giveUp)
    }

    @Test func backoffCeilingDoublesFromModeBasesAndCapsAtTwentySeconds() {
        let policy = makePolicy()
        #expect(policy.backoffCeiling(for: Self.server, attempt: 1) == .milliseconds(100))
        #expect(policy.backoffCeiling(for: Self.server, attempt: 3) == .milliseconds(400))
        #expect(policy.backoffCeiling(for: Self.throttling, attempt: 1) == .milliseconds(500))
        #expect(policy.backoffCeiling(for: Self.throttling, attempt: 2) == .seconds(1))
        #expect(policy.backoffCeiling(for: Self.throttling, attempt: 7) == .seconds(20))
        #expect(policy.backoffCeiling(for: Self.server, attempt: 10_000) == .seconds(20))
    }

    @Test func jittersWithinCeilingReproduciblyPerSeed() {
        let first = makePolicy(maxAttempts: 100, seed: 42)
        let second = makePolicy(maxAttempts: 100, seed: 42)
        var delays: [Duration] = []
        for attempt in 1...20 {
            let decision = first.decide(error: Self.throttling, attempt: attempt)
            #expect(decision == second.decide(error: Self.throttling, attempt: attempt))
            guard case .retry(let delay) = decision else {
                Issue.record("Expected a retry at attempt \(attempt).")
                return
            }
            #expect(delay >= .zero && delay <= first.backoffCeiling(for: Self.throttling, attempt: attempt))
            delays.append(delay)
        }
        // Full jitter spreads delays: they are not all at the ceiling.
        #expect(Set(delays).count > 10)
    }

    @Test func parsesModeNamesAndRejectsUnknownOnes() throws {
        #expect(try RetryMode.parse("Adaptive") == .adaptive)
        let error = try #require(throws: KMSError.self) { try RetryMode.parse("aggressive") }
        #expect(error.code == .invalidConfiguration)
    }
}

struct SplitMix64Tests {
    @Test func matchesReferenceSequenceForSeedZero() {
        var generator = SplitMix64(seed: 0)
        #expect(generator.next() == 0xE220_A839_7B1D_CDAF)
        #expect(generator.next() == 0x6E78_9E6A_A1B9_65F4)
    }

    @Test func unitValuesStayInRange() {
        let source = RandomSource.seeded(1)
        for _ in 0..<1000 {
            let value = source.nextUnit()
            #expect(value >= 0 && value <= 1)
        }
    }
}
