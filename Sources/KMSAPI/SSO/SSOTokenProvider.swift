import Foundation

/// Reads an IAM Identity Center access token from the AWS CLI's cache, refreshing `sso-session`
/// tokens through SSO-OIDC when they have under `CachingCredentialProvider.refreshWindow` left.
///
/// The cache file is `~/.aws/sso/cache/<sha1 of the session name, or of the start URL for a legacy
/// profile>.json`. A refreshed token is written back atomically (mode 0600), keeping every field
/// this tool does not know. Tokens never appear in messages.
public struct SSOTokenProvider: Sendable {
    /// The profile being signed in, for messages.
    public let profile: String
    /// The `sso-session` name, nil for a legacy profile (whose tokens are never refreshed).
    public let sessionName: String?
    /// The start URL written with a refreshed token.
    public let startURL: String
    /// The IAM Identity Center Region written with a refreshed token.
    public let ssoRegion: String
    /// The cache file.
    public let cachePath: String
    private let oidc: SSOOIDCClient?
    private let readFile: FileReader
    private let writeFile: FileWriter
    private let now: @Sendable () -> Date

    /// Creates a provider.
    /// - Parameters:
    ///   - cacheDirectory: the folder holding the token cache (`~/.aws/sso/cache`).
    ///   - oidc: refreshes `sso-session` tokens; ignored for legacy profiles.
    public init(
        profile: String, sessionName: String?, startURL: String, ssoRegion: String, cacheDirectory: String,
        oidc: SSOOIDCClient?, readFile: @escaping FileReader, writeFile: @escaping FileWriter,
        now: @escaping @Sendable () -> Date
    ) {
        self.profile = profile
        self.sessionName = sessionName
        self.startURL = startURL
        self.ssoRegion = ssoRegion
        self.cachePath = cacheDirectory + "/" + Self.cacheKey(sessionName: sessionName, startURL: startURL) + ".json"
        self.oidc = sessionName == nil ? nil : oidc
        self.readFile = readFile
        self.writeFile = writeFile
        self.now = now
    }

    /// The cache file's name without `.json`: the SHA-1 of the session name, or of the start URL.
    public static func cacheKey(sessionName: String?, startURL: String) -> String {
        SHA1.hash(sessionName ?? startURL).hexString
    }

    /// Returns a usable access token, refreshing and saving it first when it is about to expire.
    /// - Throws: `KMSError` with `config.sign-in-required` when no token is cached or it expired and
    ///   could not be refreshed, or `config.credentials-failed` when a refreshed token cannot be saved.
    public func accessToken() async throws -> String {
        var token = try loadToken()
        guard let accessToken = token["accessToken"]?.stringValue, !accessToken.isEmpty,
            let expiresText = token["expiresAt"]?.stringValue, let expiration = Self.parseDate(expiresText)
        else { throw signInRequired("the cached SSO token in '\(cachePath)' is incomplete") }
        var current = (token: accessToken, expiration: expiration)
        if expiration.timeIntervalSince(now()) < CachingCredentialProvider.refreshWindow,
            let refreshed = try await refresh(&token)
        {
            current = refreshed
        }
        guard current.expiration > now() else { throw signInRequired("the SSO session has expired") }
        return current.token
    }

    private func loadToken() throws -> [String: JSONValue] {
        let data: Data?
        do {
            data = try readFile(cachePath)
        } catch {
            throw signInRequired("the SSO token cache '\(cachePath)' cannot be read")
        }
        guard let data else { throw signInRequired("no SSO token is cached for it") }
        guard case .object(let token)? = try? JSONDecoder().decode(JSONValue.self, from: data) else {
            throw signInRequired("the SSO token cache '\(cachePath)' is not a JSON object")
        }
        return token
    }

    /// Refreshes through SSO-OIDC when the token has what botocore needs; nil when it cannot.
    private func refresh(_ token: inout [String: JSONValue]) async throws -> (token: String, expiration: Date)? {
        guard let oidc, let refreshToken = token["refreshToken"]?.stringValue,
            let clientID = token["clientId"]?.stringValue, let clientSecret = token["clientSecret"]?.stringValue,
            let registrationText = token["registrationExpiresAt"]?.stringValue,
            let registrationExpiry = Self.parseDate(registrationText), registrationExpiry > now()
        else { return nil }
        let refreshed: SSOOIDCClient.RefreshedToken
        do {
            refreshed = try await oidc.refresh(clientID: clientID, clientSecret: clientSecret, refreshToken: refreshToken)
        } catch is KMSError {
            // As botocore: a failed refresh falls back to the cached token while it lasts.
            return nil
        }
        let expiration = now().addingTimeInterval(TimeInterval(refreshed.expiresIn))
        token["startUrl"] = .string(startURL)
        token["region"] = .string(ssoRegion)
        token["accessToken"] = .string(refreshed.accessToken)
        token["expiresAt"] = .string(Self.formatDate(expiration))
        if let rotated = refreshed.refreshToken { token["refreshToken"] = .string(rotated) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data: Data
        do {
            data = try encoder.encode(JSONValue.object(token))
        } catch {
            throw KMSError(code: .credentialsFailed, message: "The refreshed SSO token could not be encoded.")
        }
        try writeFile(cachePath, data)
        return (refreshed.accessToken, expiration)
    }

    private func signInRequired(_ reason: String) -> KMSError {
        KMSError(
            code: .signInRequired,
            message: "Profile '\(profile)' signs in through IAM Identity Center, but \(reason); run `aws sso login --profile \(profile)` and try again.")
    }

    /// Parses the cache's dates: ISO 8601, also with the `UTC` suffix older AWS CLI v2 releases wrote.
    static func parseDate(_ text: String) -> Date? {
        let normalized = text.hasSuffix("UTC") ? String(text.dropLast(3)) + "Z" : text
        return CredentialsDocument.parseDate(normalized)
    }

    static func formatDate(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}
