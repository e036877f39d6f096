import Foundation

/// Where and how a `KMSClient` talks to KMS.
public struct KMSClientConfiguration: Sendable {
    /// The Region requests are signed for (`us-east-1`).
    public var region: String
    /// The endpoint requests are sent to (`https://kms.us-east-1.amazonaws.com`).
    public var endpoint: URL
    /// Total attempts per call, the first included (`AWS_MAX_ATTEMPTS` semantics).
    public var maxAttempts: Int
    /// `standard`, `legacy` or `adaptive` (`AWS_RETRY_MODE`); an unknown name acts as standard,
    /// so validate user input with `RetryMode.parse(_:)` first.
    public var retryMode: String
    /// Sent as `User-Agent`, outside the signature.
    public var userAgent: String

    /// Creates a configuration; a nil `maxAttempts` takes the retry mode's default (3, or 5 for legacy).
    public init(
        region: String, endpoint: URL, maxAttempts: Int? = nil, retryMode: String = "standard",
        userAgent: String = "decommission"
    ) {
        self.region = region
        self.endpoint = endpoint
        self.retryMode = retryMode
        self.maxAttempts = maxAttempts ?? (RetryMode(rawValue: retryMode.lowercased()) ?? .standard).defaultMaxAttempts
        self.userAgent = userAgent
    }

    /// The retry mode named by `retryMode`, standard when the name is unknown.
    public var resolvedRetryMode: RetryMode { RetryMode(rawValue: retryMode.lowercased()) ?? .standard }
}
