import Foundation
import KMSAPI
import Testing
@testable import KMSLocal

/// Token buckets with one second of burst, driven by a fixed clock.
struct RateLimiterTests {
    @Test func throttlesBeyondTheRateAndRefillsOverTime() {
        let limiter = RateLimiter(policy: .aws(multiplier: 1))
        let start = Date(timeIntervalSince1970: 1_000)
        let allowed = (0..<10).filter { _ in limiter.allow(DisableKey.name, at: start) }.count
        #expect(allowed == 5)
        #expect(limiter.allow(EnableKey.name, at: start))  // quotas are per operation
        #expect(!limiter.allow(DisableKey.name, at: start.addingTimeInterval(0.1)))
        #expect(limiter.allow(DisableKey.name, at: start.addingTimeInterval(0.2)))
    }

    @Test func multiplierScalesTheRate() {
        let limiter = RateLimiter(policy: .aws(multiplier: 2))
        let start = Date(timeIntervalSince1970: 1_000)
        #expect((0..<20).filter { _ in limiter.allow(DisableKey.name, at: start) }.count == 10)
    }

    @Test func noneNeverThrottles() {
        let limiter = RateLimiter(policy: .none)
        let start = Date(timeIntervalSince1970: 1_000)
        #expect((0..<100).allSatisfy { _ in limiter.allow(DisableKey.name, at: start) })
    }
}

/// Parsing of `--quotas` values.
struct QuotaPolicyTests {
    @Test(arguments: [("none", QuotaPolicy.none), ("aws", .aws(multiplier: 1)), ("aws×3", .aws(multiplier: 3)),
        ("awsx0.5", .aws(multiplier: 0.5)), ("aws*10", .aws(multiplier: 10))])
    func parsesTheDocumentedForms(text: String, expected: QuotaPolicy) {
        #expect(QuotaPolicy(argument: text) == expected)
    }

    @Test(arguments: ["", "aws×", "awsx-1", "gcp", "aws3"])
    func rejectsOtherText(text: String) {
        #expect(QuotaPolicy(argument: text) == nil)
    }
}
