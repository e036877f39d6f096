import Foundation

/// Reads `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN`.
public struct EnvironmentCredentialProvider: CredentialSource {
    /// The process environment.
    public let environment: [String: String]

    /// Creates a provider over an environment dictionary.
    public init(environment: [String: String]) {
        self.environment = environment
    }

    /// Returns the environment's credentials.
    /// - Throws: `KMSError` with `config.no-credentials` when neither variable is set, or
    ///   `config.credentials-failed` naming the missing half of the pair.
    public func credentials() async throws -> Credentials {
        try await requireConfigured("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")
    }

    /// Returns the environment's credentials, or nil when neither variable is set.
    /// - Throws: `KMSError` with `config.credentials-failed` when only one of the pair is set.
    public func credentialsIfConfigured() async throws -> Credentials? {
        try resolve()
    }

    /// The synchronous core, shared with tests.
    func resolve() throws -> Credentials? {
        let accessKeyID = environment.nonEmptyValue("AWS_ACCESS_KEY_ID")
        let secretAccessKey = environment.nonEmptyValue("AWS_SECRET_ACCESS_KEY")
        switch (accessKeyID, secretAccessKey) {
        case (nil, nil):
            return nil
        case (.some, nil):
            throw KMSError(
                code: .credentialsFailed, message: "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not; set both or neither.")
        case (nil, .some):
            throw KMSError(
                code: .credentialsFailed, message: "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not; set both or neither.")
        case (let accessKeyID?, let secretAccessKey?):
            return Credentials(
                accessKeyID: accessKeyID, secretAccessKey: secretAccessKey,
                sessionToken: environment.nonEmptyValue("AWS_SESSION_TOKEN"), source: "environment")
        }
    }
}
