import Synchronization

/// Client-side pacing per KMS operation, so a run stays under the account's request quotas.
///
/// Each operation gets a token bucket refilled at `quota × scale × headroom` requests per
/// second, holding `max(1, rate × 0.1)` tokens of burst: KMS allows about one second of burst,
/// so a tenth keeps the client well inside it. `acquire` uses virtual scheduling (GCRA): under
/// the lock it reserves the next free slot arithmetically, then sleeps on the injected clock
/// until that slot, so any number of concurrent waiters costs one sleep each, in FIFO order of
/// reservation, with no polling. A cancelled waiter's slot is simply left unused.
///
/// Adaptive pacing (in every retry mode): `recordThrottle` cuts an operation's rate
/// ×0.7, never below 10% of its base; `recordSuccess` recovers it additively, by 5% of the base
/// per second since the last change, up to the base. Operations without a quota are not paced.
public final class RateLimiter: Sendable {
    /// The KMS default request quotas, in requests per second per account and Region
    /// (reference section 7; Encrypt/Decrypt use the smallest symmetric quota, 10,000). The one
    /// table: kms-local enforces the same numbers with `--quotas aws`.
    public static let kmsQuotas: [OperationName: Double] = [
        DescribeCustomKeyStores.name: 5, ListKeys.name: 500, DescribeKey.name: 2000,
        ListAliases.name: 500, ListResourceTags.name: 2000, ListGrants.name: 100,
        GetKeyLastUsage.name: 5, DisableKey.name: 5, EnableKey.name: 5,
        ScheduleKeyDeletion.name: 15, CancelKeyDeletion.name: 5,
        ConnectCustomKeyStore.name: 5, DisconnectCustomKeyStore.name: 5,
        DeleteCustomKeyStore.name: 5, UpdateCustomKeyStore.name: 5, CreateCustomKeyStore.name: 5,
        TagResource.name: 10, CreateKey.name: 50, CreateAlias.name: 50, CreateGrant.name: 50,
        Encrypt.name: 10000, Decrypt.name: 10000, GenerateDataKey.name: 10000,
        GenerateDataKeyWithoutPlaintext.name: 10000,
    ]
    /// The CloudTrail request quotas: `LookupEvents` is 2 per second per account and Region. The
    /// one table: kms-local enforces it with `--quotas aws`, since it serves CloudTrail too.
    public static let cloudTrailQuotas: [OperationName: Double] = [LookupEvents.name: 2]
    /// The share of each quota the client uses by default, so the server's bucket never empties.
    public static let defaultHeadroom = 0.95
    /// The multiplier applied to a rate on each throttle.
    public static let throttleFactor = 0.7
    /// The lowest rate adaptive pacing falls to, as a share of the base rate.
    public static let minimumRateShare = 0.1
    /// How fast a cut rate recovers: this share of the base rate per second.
    public static let recoverySharePerSecond = 0.05

    private struct Bucket {
        let baseRate: Double
        var rate: Double
        /// The theoretical arrival time of the next request, in ns since the timeline origin.
        var nextSlot: Int64
        var lastAdjustment: Int64

        var interval: Int64 { Int64((1e9 / rate).rounded()) }
        /// How far ahead of its slot a request may go: the burst allowance.
        var tolerance: Int64 { Int64((max(1, rate * 0.1) - 1) * Double(interval)) }
    }

    private let timeline: ClockTimeline?
    private let buckets: Mutex<[OperationName: Bucket]>

    /// Creates a limiter pacing each operation at `quota × scale × headroom` per second.
    /// - Parameters:
    ///   - clock: the clock to sleep on.
    ///   - quotas: requests per second per operation; operations not listed are not paced.
    ///   - scale: multiplies every quota (0.1 to be gentle, 10 for a raised quota).
    ///   - headroom: the share of the scaled quota to use (default 0.95).
    public init(
        clock: any Clock<Duration>, quotas: [OperationName: Double] = RateLimiter.kmsQuotas,
        scale: Double = 1, headroom: Double = RateLimiter.defaultHeadroom
    ) {
        let timeline = ClockTimeline(clock)
        let start = timeline.now()
        var buckets: [OperationName: Bucket] = [:]
        for (operation, quota) in quotas {
            let rate = quota * scale * headroom
            // A rate that is not a positive finite number means "do not pace", never a trap.
            guard rate.isFinite, rate > 0 else { continue }
            buckets[operation] = Bucket(baseRate: rate, rate: rate, nextSlot: start, lastAdjustment: start)
        }
        self.timeline = timeline
        self.buckets = Mutex(buckets)
    }

    private init() {
        self.timeline = nil
        self.buckets = Mutex([:])
    }

    /// A limiter that never waits and ignores throttles.
    public static var unlimited: RateLimiter { RateLimiter() }

    /// Waits until `operation` may send one request.
    /// - Throws: `CancellationError` when the task is cancelled while waiting.
    public func acquire(_ operation: OperationName) async throws {
        guard let timeline else { return }
        let now = timeline.now()
        let slot: Int64? = buckets.withLock { buckets in
            guard var bucket = buckets[operation] else { return nil }
            let earliest = bucket.nextSlot - bucket.tolerance
            bucket.nextSlot = max(bucket.nextSlot, now) + bucket.interval
            buckets[operation] = bucket
            return earliest
        }
        guard let slot, slot > now else { return }
        try await timeline.sleepUntil(slot)
    }

    /// Records a throttled answer for `operation`, slowing its pacing.
    public func recordThrottle(_ operation: OperationName) {
        guard let timeline else { return }
        let now = timeline.now()
        buckets.withLock { buckets in
            guard var bucket = buckets[operation] else { return }
            bucket.rate = max(bucket.baseRate * Self.minimumRateShare, bucket.rate * Self.throttleFactor)
            bucket.lastAdjustment = now
            buckets[operation] = bucket
        }
    }

    /// Records a successful answer for `operation`, letting a cut rate recover.
    public func recordSuccess(_ operation: OperationName) {
        guard let timeline else { return }
        let now = timeline.now()
        buckets.withLock { buckets in
            guard var bucket = buckets[operation], bucket.rate < bucket.baseRate else { return }
            let elapsed = Double(max(0, now - bucket.lastAdjustment)) / 1e9
            let recovered = bucket.rate + bucket.baseRate * Self.recoverySharePerSecond * elapsed
            bucket.rate = min(bucket.baseRate, recovered)
            bucket.lastAdjustment = now
            buckets[operation] = bucket
        }
    }

    /// The rate `operation` is paced at now, in requests per second; nil when not paced.
    public func currentRate(_ operation: OperationName) -> Double? {
        buckets.withLock { $0[operation]?.rate }
    }

    /// The rate `operation` is paced at when nothing has been throttled; nil when not paced.
    public func baseRate(_ operation: OperationName) -> Double? {
        buckets.withLock { $0[operation]?.baseRate }
    }
}
