import Foundation

/// AWS credentials: an access key, its secret and, for temporary credentials, a session token.
///
/// `description` never shows the secret or the token, so credentials are safe to log by accident.
public struct Credentials: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    public var accessKeyID: String
    public var secretAccessKey: String
    public var sessionToken: String?
    /// When temporary credentials stop working; nil for long-term keys.
    public var expiration: Date?
    /// Where the credentials came from (`environment`, `profile default`, ...), for `--verbose`.
    public var source: String

    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil, expiration: Date? = nil, source: String = "static") {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.expiration = expiration
        self.source = source
    }

    public var description: String {
        "Credentials(accessKeyID: \(accessKeyID), secretAccessKey: <redacted>, sessionToken: \(sessionToken == nil ? "none" : "<redacted>"), source: \(source))"
    }
    public var debugDescription: String { description }
}

/// Supplies credentials for signing; implementations cache and refresh as they need.
public protocol CredentialProvider: Sendable {
    /// Returns credentials valid for at least the next few minutes.
    /// - Throws: `KMSError` with `config.no-credentials` or `config.credentials-failed`.
    func credentials() async throws -> Credentials
}

/// A provider that always returns the same credentials (tests, kms-local, the demo).
public struct StaticCredentialProvider: CredentialProvider {
    public let value: Credentials
    public init(_ value: Credentials) { self.value = value }
    public func credentials() async throws -> Credentials { value }
}
