import Synchronization

/// The standard-mode retry quota: a token bucket that stops retry storms when a service is down.
///
/// It holds 500 tokens. A retry costs 5 (10 after a timeout or connection error); with too few
/// tokens left no retry is made and the last error is reported. A success refunds the cost of
/// the retry that led to it, or adds 1 when the first attempt succeeded, never above capacity.
/// This is the bucket of the AWS SDKs' "standard" retry mode.
public final class RetryQuota: Sendable {
    /// The bucket size and starting balance.
    public static let defaultCapacity = 500
    /// What an ordinary retry costs.
    public static let retryCost = 5
    /// What a retry after a timeout or connection error costs.
    public static let timeoutRetryCost = 10
    /// What a first-attempt success adds.
    public static let successIncrement = 1

    /// The bucket size.
    public let capacity: Int
    private let balance: Mutex<Int>

    /// Creates a full bucket.
    public init(capacity: Int = RetryQuota.defaultCapacity) {
        self.capacity = max(0, capacity)
        self.balance = Mutex(max(0, capacity))
    }

    /// The tokens left.
    public var available: Int { balance.withLock { $0 } }

    /// Takes the cost of retrying after `error`; returns the cost taken, or nil when the bucket
    /// cannot pay it (then no retry may be made).
    public func acquireRetry(after error: KMSError) -> Int? {
        let cost = Self.cost(of: error)
        return balance.withLock { balance in
            guard balance >= cost else { return nil }
            balance -= cost
            return cost
        }
    }

    /// Records a successful call; `retryCost` is what the retry that led to it cost, nil when
    /// the first attempt succeeded.
    public func recordSuccess(retryCost: Int?) {
        let refund = retryCost ?? Self.successIncrement
        balance.withLock { balance in balance = min(capacity, balance + refund) }
    }

    /// The cost of a retry after `error`.
    public static func cost(of error: KMSError) -> Int {
        error.isTimeoutOrConnectionError ? timeoutRetryCost : retryCost
    }
}

extension KMSError {
    /// Whether the error is a timeout or a failure to connect, which costs more retry quota.
    var isTimeoutOrConnectionError: Bool {
        switch code {
        case .timeout, .connectionLost, .connectionRefused, .hostNotFound, .transportFailed: return true
        default: return awsErrorType == "RequestTimeout" || awsErrorType == "RequestTimeoutException"
        }
    }
}
