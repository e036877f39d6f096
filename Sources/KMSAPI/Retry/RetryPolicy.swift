/// How failed calls are retried, named as `AWS_RETRY_MODE` / `retry_mode` name them.
public enum RetryMode: String, Sendable, CaseIterable {
    /// AWS "standard" mode: 3 attempts, exponential backoff with full jitter, a retry quota.
    case standard
    /// AWS "legacy" mode: as standard but 5 attempts and no retry quota (as botocore's legacy mode).
    case legacy
    /// Standard retries; accepted for compatibility with the SDKs. Client-side pacing adapts to
    /// throttling in every mode here (see `RateLimiter`), so it behaves as standard.
    case adaptive

    /// The total number of attempts (the first included) when none is configured.
    public var defaultMaxAttempts: Int { self == .legacy ? 5 : 3 }

    /// Whether a retry quota (token bucket) limits retries in this mode.
    public var usesRetryQuota: Bool { self != .legacy }

    /// Parses a configured mode name (`AWS_RETRY_MODE`, `--retry-mode`).
    /// - Throws: `KMSError` with `config.invalid` for an unknown name.
    public static func parse(_ name: String) throws -> RetryMode {
        guard let mode = RetryMode(rawValue: name.lowercased()) else {
            throw KMSError(
                code: .invalidConfiguration,
                message: "Retry mode '\(name)' is not known; use standard, legacy or adaptive.")
        }
        return mode
    }
}

/// What to do after a failed attempt.
public enum RetryDecision: Sendable, Equatable {
    /// Send the request again after waiting this long.
    case retry(after: Duration)
    /// Stop and report the last error.
    case giveUp
}

/// The pure retry decision: given an error and the attempt that produced it, retry or give up.
///
/// Backoff follows the AWS SDK for Java v2 "standard" mode: full jitter,
/// `random(0...1) * min(20 s, base * 2^(attempt-1))`, with a base of 100 ms for transient and
/// server errors and 500 ms for throttling errors (Java v2's `THROTTLED_BASE_DELAY`).
public struct RetryPolicy: Sendable {
    /// The mode this policy implements.
    public let mode: RetryMode
    /// Total attempts including the first (`AWS_MAX_ATTEMPTS` semantics); at least 1.
    public let maxAttempts: Int
    /// The base delay for transient and server errors.
    public let baseDelay: Duration
    /// The base delay for throttling errors.
    public let throttlingBaseDelay: Duration
    /// The cap on any single backoff.
    public let maxBackoff: Duration
    private let random: RandomSource

    /// Creates a policy.
    /// - Parameters:
    ///   - maxAttempts: total attempts; nil takes the mode's default (3, or 5 for legacy);
    ///     values below 1 count as 1.
    ///   - random: the jitter source.
    public init(
        mode: RetryMode = .standard, maxAttempts: Int? = nil, random: RandomSource,
        baseDelay: Duration = .milliseconds(100), throttlingBaseDelay: Duration = .milliseconds(500),
        maxBackoff: Duration = .seconds(20)
    ) {
        self.mode = mode
        self.maxAttempts = max(1, maxAttempts ?? mode.defaultMaxAttempts)
        self.random = random
        self.baseDelay = baseDelay
        self.throttlingBaseDelay = throttlingBaseDelay
        self.maxBackoff = maxBackoff
    }

    /// Decides whether to retry after `attempt` (1 for the first send) failed with `error`.
    public func decide(error: KMSError, attempt: Int) -> RetryDecision {
        // KMS's LimitExceededException is a resource quota, never a rate: retrying cannot help.
        if error.code == .limitExceeded || error.awsErrorType == "LimitExceededException" {
            return .giveUp
        }
        guard error.isRetryable, attempt < maxAttempts else { return .giveUp }
        return .retry(after: backoffCeiling(for: error, attempt: attempt) * random.nextUnit())
    }

    /// The largest backoff `decide` may choose for this error and attempt (before jitter).
    public func backoffCeiling(for error: KMSError, attempt: Int) -> Duration {
        let base = error.retryability == .throttling ? throttlingBaseDelay : baseDelay
        // Past 2^30 the cap has long been reached; clamping keeps the shift from overflowing.
        let exponent = min(max(attempt - 1, 0), 30)
        let grown = base * (1 << exponent)
        return min(grown, maxBackoff)
    }
}
