import Foundation

/// The AWS SDKs' default chain, in botocore's order: environment, assume role, web identity, SSO,
/// the credentials file, `credential_process`, the config file's keys, container, EC2 instance role.
///
/// A source that is configured but fails stops the chain with its own error, so a broken setup is
/// reported rather than silently replaced by other credentials.
public struct DefaultCredentialChain: CredentialProvider {
    /// The sources in the order they are tried.
    public let sources: [any CredentialSource]
    /// What is thrown when no source is configured.
    public let notFound: KMSError

    static let noneFound = KMSError(
        code: .noCredentials,
        message: "No AWS credentials found; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, use --profile, or run where container or instance credentials are available.")

    /// Creates a chain over any sources, tried in order.
    public init(sources: [any CredentialSource], notFound: KMSError? = nil) {
        self.sources = sources
        self.notFound = notFound ?? Self.noneFound
    }

    /// Creates the standard chain.
    /// - Parameters:
    ///   - context: files, environment, transports and clients the sources use.
    ///   - profile: the profile name from `AWSConfigResolver.profileName(_:)`.
    ///   - isExplicitProfile: whether the user named the profile (`--profile` or `AWS_PROFILE`).
    ///   - skipsEnvironment: true when `--profile` named it: environment keys (and web identity
    ///     variables) are then skipped, as in the AWS CLI; `credential_source = Environment` still reads them.
    public init(context: CredentialContext, profile: String, isExplicitProfile: Bool, skipsEnvironment: Bool) {
        let resolver = ProfileCredentialResolver(context: context)
        var sources: [any CredentialSource] = []
        if !skipsEnvironment { sources.append(EnvironmentCredentialProvider(environment: context.environment)) }
        sources.append(LazyCredentialSource { try resolver.assumeRoleProvider(profile: profile) })
        sources += resolver.profileSources(profile, allowsEnvironment: !skipsEnvironment, isExplicit: isExplicitProfile)
        sources.append(ContainerCredentialProvider(environment: context.environment, transport: context.transport, readFile: context.readFile))
        sources.append(IMDSCredentialProvider(environment: context.environment, transport: context.metadataTransport))
        self.init(sources: sources)
    }

    /// Returns credentials from the first configured source.
    /// - Throws: the first configured source's `KMSError`, or `notFound` when none is configured.
    public func credentials() async throws -> Credentials {
        for source in sources {
            try Task.checkCancellation()
            if let credentials = try await source.credentialsIfConfigured() { return credentials }
        }
        throw notFound
    }
}
