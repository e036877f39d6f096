import Synchronization

/// Counts of calls, attempts, throttles and errors per operation, read by the CLI's reports.
public final class KMSClientMetrics: Sendable {
    /// The counts of one operation (or of all).
    public struct Counts: Sendable, Equatable {
        /// Calls started (`send` invocations).
        public var calls = 0
        /// Requests sent, retries included.
        public var attempts = 0
        /// Attempts answered with a throttling error.
        public var throttles = 0
        /// Calls that finally failed.
        public var errors = 0

        public init(calls: Int = 0, attempts: Int = 0, throttles: Int = 0, errors: Int = 0) {
            self.calls = calls
            self.attempts = attempts
            self.throttles = throttles
            self.errors = errors
        }
    }

    private let counts = Mutex<[OperationName: Counts]>([:])

    public init() {}

    /// The counts for one operation.
    public func counts(for operation: OperationName) -> Counts {
        counts.withLock { $0[operation] ?? Counts() }
    }

    /// The counts of every operation called so far.
    public func snapshot() -> [OperationName: Counts] {
        counts.withLock { $0 }
    }

    /// The counts summed over all operations.
    public var totals: Counts {
        snapshot().values.reduce(into: Counts()) { total, counts in
            total.calls += counts.calls
            total.attempts += counts.attempts
            total.throttles += counts.throttles
            total.errors += counts.errors
        }
    }

    func update(_ operation: OperationName, _ change: (inout Counts) -> Void) {
        counts.withLock { counts in change(&counts[operation, default: Counts()]) }
    }
}
