import Foundation
import KMSAPI
import Synchronization

/// Per-operation token buckets holding one second of burst, refilled at the operation's rate.
final class RateLimiter: Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: Date
    }

    private let policy: QuotaPolicy
    private let buckets = Mutex<[OperationName: Bucket]>([:])

    init(policy: QuotaPolicy) { self.policy = policy }

    /// Takes a token for the operation; returns false when the caller must be throttled.
    func allow(_ operation: OperationName, at now: Date) -> Bool {
        guard let rate = policy.rate(for: operation) else { return true }
        return buckets.withLock { buckets in
            var bucket = buckets[operation] ?? Bucket(tokens: rate, updated: now)
            let elapsed = max(0, now.timeIntervalSince(bucket.updated))
            bucket.tokens = min(rate, bucket.tokens + elapsed * rate)
            bucket.updated = now
            let allowed = bucket.tokens >= 1
            if allowed { bucket.tokens -= 1 }
            buckets[operation] = bucket
            return allowed
        }
    }
}
