import Foundation

/// Where and how an `S3Client` talks to S3.
public struct S3ClientConfiguration: Sendable {
    /// The Region requests are signed for (the bucket's Region).
    public var region: String
    /// The S3 endpoint without a bucket (`https://s3.eu-west-1.amazonaws.com`, or an override).
    public var endpoint: URL
    /// Virtual-hosted (AWS endpoints) or path-style (overrides).
    public var addressingStyle: S3AddressingStyle
    /// Total attempts per call, the first included.
    public var maxAttempts: Int?
    /// The retry mode (`AWS_RETRY_MODE`).
    public var retryMode: RetryMode
    /// Sent as `User-Agent`, outside the signature.
    public var userAgent: String

    public init(
        region: String, endpoint: URL, addressingStyle: S3AddressingStyle, maxAttempts: Int? = nil,
        retryMode: RetryMode = .standard, userAgent: String = "decommission"
    ) {
        self.region = region
        self.endpoint = endpoint
        self.addressingStyle = addressingStyle
        self.maxAttempts = maxAttempts
        self.retryMode = retryMode
        self.userAgent = userAgent
    }

    /// The configuration for a Region by the one endpoint rule (`AWS_ENDPOINT_URL_S3` >
    /// `AWS_ENDPOINT_URL` > `services` section > profile `endpoint_url` > the regional public
    /// endpoint), with S3's own layer on top: path-style against an override, virtual-hosted otherwise.
    /// - Parameters:
    ///   - resolved: the retry settings and Region already resolved for KMS.
    ///   - region: the bucket's Region, when it differs from `resolved.region`.
    /// - Throws: `KMSError` with `config.invalid` naming a malformed endpoint setting.
    public static func make(
        resolver: AWSConfigResolver, options: AWSOptions, resolved: ResolvedAWSConfiguration, region: String? = nil,
        userAgent: String = "decommission"
    ) throws -> S3ClientConfiguration {
        let region = region ?? resolved.region
        let (endpoint, source) = try resolver.endpoint(for: .s3, options, region: region)
        return S3ClientConfiguration(
            region: region, endpoint: endpoint, addressingStyle: .forEndpoint(source: source),
            maxAttempts: resolved.maxAttempts, retryMode: resolved.retryMode, userAgent: userAgent)
    }
}
