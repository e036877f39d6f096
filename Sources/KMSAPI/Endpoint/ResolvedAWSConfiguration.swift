import Foundation

/// The region, endpoint, profile, retry and TLS settings the KMS client should use.
public struct ResolvedAWSConfiguration: Sendable, Equatable {
    /// The AWS Region, such as `eu-west-1`.
    public var region: String
    /// The KMS endpoint to send requests to.
    public var endpoint: URL
    /// The profile whose settings were read (`default` when none was chosen).
    public var profile: String
    /// The total number of attempts per request, at least 1.
    public var maxAttempts: Int
    /// The retry mode.
    public var retryMode: RetryMode
    /// Whether a FIPS endpoint was asked for.
    public var useFIPS: Bool
    /// Which setting gave the endpoint (`--endpoint-url`, `AWS_ENDPOINT_URL_KMS`, `default`, ...), for `--verbose`.
    public var endpointSource: String
    /// The custom CA bundle to trust instead of the system store (`AWS_CA_BUNDLE`, profile `ca_bundle`), if any.
    public var caBundle: CABundle?

    /// Creates a resolved configuration.
    public init(
        region: String, endpoint: URL, profile: String, maxAttempts: Int = 3, retryMode: RetryMode = .standard,
        useFIPS: Bool = false, endpointSource: String = "default", caBundle: CABundle? = nil
    ) {
        self.region = region
        self.endpoint = endpoint
        self.profile = profile
        self.maxAttempts = maxAttempts
        self.retryMode = retryMode
        self.useFIPS = useFIPS
        self.endpointSource = endpointSource
        self.caBundle = caBundle
    }
}
