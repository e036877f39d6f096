import Foundation

/// How the S3 lock leases: for how long, who this runner is, and the clocks.
public struct S3LockSettings: Sendable {
    /// The lease a holder gets at each renewal.
    public var lease: Duration
    /// This runner's identity (a CI job, a pod, host:pid), recorded in the lock.
    public var runner: String
    /// The clock the heartbeat sleeps on.
    public var clock: any Clock<Duration>
    /// The time of day leases are stamped with.
    public var now: @Sendable () -> Date

    /// The default lease: long enough for any run between two renewals, short enough that a
    /// runner that died frees the plan soon.
    public static let defaultLease: Duration = .seconds(300)

    public init(lease: Duration = defaultLease, runner: String, clock: any Clock<Duration>, now: @escaping @Sendable () -> Date) {
        self.lease = lease
        self.runner = runner
        self.clock = clock
        self.now = now
    }

    var leaseSeconds: TimeInterval {
        Double(lease.components.seconds) + Double(lease.components.attoseconds) / 1e18
    }
}
