import Foundation

/// Makes the STS, SSO portal and SSO-OIDC clients credential providers call, each on the shared
/// pipeline with the CLI's transport, clock, retry settings and `--verbose` observer.
public struct CredentialServiceFactory: Sendable {
    /// Resolves each service's endpoint (`AWS_ENDPOINT_URL_STS`, `..._SSO`, `..._SSO_OIDC`, ...).
    public let resolver: AWSConfigResolver
    /// The command line's AWS options.
    public let options: AWSOptions
    /// The Region STS calls go to (the command's Region, as botocore uses the session's).
    public let region: String
    private let retryMode: RetryMode
    private let maxAttempts: Int?
    private let userAgent: String
    private let transport: any HTTPTransport
    private let clock: any Clock<Duration>
    private let now: @Sendable () -> Date
    private let random: RandomSource
    private let observer: (@Sendable (KMSCallEvent) -> Void)?

    /// Creates a factory.
    public init(
        resolver: AWSConfigResolver, options: AWSOptions, region: String, retryMode: RetryMode = .standard,
        maxAttempts: Int? = nil, userAgent: String, transport: any HTTPTransport, clock: any Clock<Duration>,
        now: @escaping @Sendable () -> Date, random: RandomSource, observer: (@Sendable (KMSCallEvent) -> Void)? = nil
    ) {
        self.resolver = resolver
        self.options = options
        self.region = region
        self.retryMode = retryMode
        self.maxAttempts = maxAttempts
        self.userAgent = userAgent
        self.transport = transport
        self.clock = clock
        self.now = now
        self.random = random
        self.observer = observer
    }

    /// Makes an STS client signing with `credentials` (nil for unsigned calls only).
    /// - Throws: `KMSError` with `config.invalid` for a malformed STS endpoint setting.
    public func makeSTS(credentials: (any CredentialProvider)?) throws -> STSClient {
        let endpoint = try STSEndpoint.resolve(resolver, options, region: region)
        return STSClient(
            pipeline: pipeline("sts", region: endpoint.signingRegion, credentials: credentials, decoder: STSClient.errorDecoder),
            endpoint: endpoint.url)
    }

    /// Makes a client for the SSO portal in `ssoRegion`.
    /// - Throws: `KMSError` with `config.invalid` for a malformed endpoint setting or Region.
    public func makePortal(region ssoRegion: String) throws -> SSOPortalClient {
        let endpoint = try resolver.endpoint(for: .sso, options, region: try Self.checkedRegion(ssoRegion))
        return SSOPortalClient(
            pipeline: pipeline("sso", region: ssoRegion, credentials: nil, decoder: SSOPortalClient.errorDecoder), endpoint: endpoint.url)
    }

    /// Makes a client for SSO-OIDC in `ssoRegion`.
    /// - Throws: `KMSError` with `config.invalid` for a malformed endpoint setting or Region.
    public func makeOIDC(region ssoRegion: String) throws -> SSOOIDCClient {
        let endpoint = try resolver.endpoint(for: .ssoOIDC, options, region: try Self.checkedRegion(ssoRegion))
        return SSOOIDCClient(
            pipeline: pipeline("sso-oidc", region: ssoRegion, credentials: nil, decoder: SSOOIDCClient.errorDecoder),
            endpoint: endpoint.url)
    }

    private func pipeline(
        _ name: String, region: String, credentials: (any CredentialProvider)?, decoder: @escaping AWSErrorDecoder
    ) -> AWSRequestPipeline {
        AWSRequestPipeline(
            signingName: name, region: region, retryMode: retryMode, maxAttempts: maxAttempts, userAgent: userAgent,
            credentials: credentials, transport: transport, rateLimiter: .unlimited, clock: clock, now: now,
            random: random, errorDecoder: decoder, observer: observer)
    }

    private static func checkedRegion(_ region: String) throws -> String {
        guard KMSEndpoint.isValidRegion(region) else {
            throw KMSError(code: .invalidConfiguration, message: "sso_region '\(region)' is not a valid AWS Region name; fix it in the config file.")
        }
        return region
    }
}
