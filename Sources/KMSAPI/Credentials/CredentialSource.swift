import Foundation

/// A credential provider that can say it is not configured, so a chain can move on to the next one.
public protocol CredentialSource: CredentialProvider {
    /// Returns credentials, or nil when this source is not configured here.
    /// - Throws: `KMSError` when the source is configured but fails; a chain stops there.
    func credentialsIfConfigured() async throws -> Credentials?
}

extension CredentialSource {
    /// Returns credentials, treating "not configured" as `config.no-credentials`.
    func requireConfigured(_ what: String) async throws -> Credentials {
        guard let credentials = try await credentialsIfConfigured() else {
            throw KMSError(code: .noCredentials, message: "No credentials were found in \(what).")
        }
        return credentials
    }
}

/// The JSON that credential_process, the container endpoint and IMDS answer with.
struct CredentialsDocument: Decodable {
    var version: Int?
    var code: String?
    var accessKeyID: String?
    var secretAccessKey: String?
    var sessionToken: String?
    var token: String?
    var expiration: String?

    enum CodingKeys: String, CodingKey {
        case version = "Version"
        case code = "Code"
        case accessKeyID = "AccessKeyId"
        case secretAccessKey = "SecretAccessKey"
        case sessionToken = "SessionToken"
        case token = "Token"
        case expiration = "Expiration"
    }

    /// Decodes the document without ever quoting its text (it holds secrets) in an error.
    static func decode(_ data: Data, from source: String) throws -> CredentialsDocument {
        do {
            return try JSONDecoder().decode(CredentialsDocument.self, from: data)
        } catch {
            throw KMSError(code: .credentialsFailed, message: "The answer from \(source) is not a valid credentials JSON object.")
        }
    }

    /// Builds credentials, naming any missing field or bad date (never a value).
    func makeCredentials(from source: String, label: String) throws -> Credentials {
        guard let accessKeyID, !accessKeyID.isEmpty else { throw Self.missing("AccessKeyId", source: source) }
        guard let secretAccessKey, !secretAccessKey.isEmpty else { throw Self.missing("SecretAccessKey", source: source) }
        var date: Date?
        if let expiration {
            guard let parsed = Self.parseDate(expiration) else {
                throw KMSError(code: .credentialsFailed, message: "The Expiration from \(source) is not an ISO 8601 date.")
            }
            date = parsed
        }
        let session = sessionToken ?? token
        return Credentials(
            accessKeyID: accessKeyID, secretAccessKey: secretAccessKey,
            sessionToken: session?.isEmpty == true ? nil : session, expiration: date, source: label)
    }

    static func parseDate(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }

    private static func missing(_ field: String, source: String) -> KMSError {
        KMSError(code: .credentialsFailed, message: "The answer from \(source) has no \(field).")
    }
}
