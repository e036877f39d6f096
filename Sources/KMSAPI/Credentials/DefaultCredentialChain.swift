import Foundation

/// The AWS SDKs' default chain: environment, profile (with `credential_process`), container, then EC2 instance role.
///
/// A source that is configured but fails stops the chain with its own error, so a broken setup is
/// reported rather than silently replaced by other credentials.
public struct DefaultCredentialChain: CredentialProvider {
    /// The sources in the order they are tried.
    public let sources: [any CredentialSource]

    /// Creates a chain over any sources, tried in order.
    public init(sources: [any CredentialSource]) {
        self.sources = sources
    }

    /// Creates the standard chain.
    /// - Parameters:
    ///   - environment: the process environment.
    ///   - profile: the profile name from `AWSConfigResolver.profileName(_:)`.
    ///   - isExplicitProfile: whether the user named the profile.
    ///   - files: the loaded shared files.
    ///   - readFile: reads the container authorization token file.
    ///   - transport: for the container endpoint.
    ///   - metadataTransport: for IMDS, with a short (about 1 s) connect timeout.
    ///   - processRunner: runs `credential_process`.
    public init(
        environment: [String: String], profile: String, isExplicitProfile: Bool, files: SharedConfiguration,
        readFile: @escaping FileReader, transport: any HTTPTransport, metadataTransport: any HTTPTransport,
        processRunner: any ProcessRunner
    ) {
        self.sources = [
            EnvironmentCredentialProvider(environment: environment),
            ProfileCredentialProvider(
                profile: profile, isExplicit: isExplicitProfile, files: files, environment: environment, runner: processRunner),
            ContainerCredentialProvider(environment: environment, transport: transport, readFile: readFile),
            IMDSCredentialProvider(environment: environment, transport: metadataTransport),
        ]
    }

    /// Returns credentials from the first configured source.
    /// - Throws: the first configured source's `KMSError`, or `config.no-credentials` when none is configured.
    public func credentials() async throws -> Credentials {
        for source in sources {
            try Task.checkCancellation()
            if let credentials = try await source.credentialsIfConfigured() { return credentials }
        }
        throw KMSError(
            code: .noCredentials,
            message: "No AWS credentials found; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, use --profile, or run where container or instance credentials are available.")
    }
}
