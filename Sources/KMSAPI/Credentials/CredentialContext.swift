import Foundation

/// Everything the credential chain reads or calls, injected by the composition root (tests pass fakes).
public struct CredentialContext: Sendable {
    /// The process environment.
    public var environment: [String: String]
    /// The loaded config and credentials files.
    public var files: SharedConfiguration
    /// The user's home (`~/.aws/sso/cache` is under it).
    public var homeDirectory: String
    /// Reads token files, the SSO cache and the container token.
    public var readFile: FileReader
    /// Writes the SSO cache back (atomically, mode 0600).
    public var writeFile: FileWriter
    /// Reaches the container credentials endpoint.
    public var transport: any HTTPTransport
    /// Reaches IMDS, with a short timeout.
    public var metadataTransport: any HTTPTransport
    /// Runs `credential_process`.
    public var processRunner: any ProcessRunner
    /// Makes the STS and SSO clients.
    public var services: CredentialServiceFactory
    /// Asks for MFA codes (nil answers when there is no terminal).
    public var mfaPrompt: MFACodePrompt
    /// The current time (default session names, token expiry).
    public var now: @Sendable () -> Date

    /// Creates a context from its parts.
    public init(
        environment: [String: String], files: SharedConfiguration, homeDirectory: String, readFile: @escaping FileReader,
        writeFile: @escaping FileWriter, transport: any HTTPTransport, metadataTransport: any HTTPTransport,
        processRunner: any ProcessRunner, services: CredentialServiceFactory, mfaPrompt: @escaping MFACodePrompt,
        now: @escaping @Sendable () -> Date
    ) {
        self.environment = environment
        self.files = files
        self.homeDirectory = homeDirectory
        self.readFile = readFile
        self.writeFile = writeFile
        self.transport = transport
        self.metadataTransport = metadataTransport
        self.processRunner = processRunner
        self.services = services
        self.mfaPrompt = mfaPrompt
        self.now = now
    }
}
