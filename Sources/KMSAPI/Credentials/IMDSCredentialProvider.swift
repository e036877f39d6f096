import Foundation

/// Fetches an EC2 instance role's credentials through IMDSv2, never falling back to IMDSv1.
public struct IMDSCredentialProvider: CredentialSource {
    /// The instance metadata service's address.
    public static let defaultEndpoint = "http://169.254.169.254"
    /// How long the session token lives, in seconds (six hours, the maximum).
    static let tokenTTLSeconds = "21600"

    private let environment: [String: String]
    private let transport: any HTTPTransport

    /// Creates a provider.
    /// - Parameters:
    ///   - environment: read for `AWS_EC2_METADATA_DISABLED` and `AWS_EC2_METADATA_SERVICE_ENDPOINT`.
    ///   - transport: a transport with short timeouts (about 1 s to connect), so a machine without IMDS is not held up.
    public init(environment: [String: String], transport: any HTTPTransport) {
        self.environment = environment
        self.transport = transport
    }

    /// Whether `AWS_EC2_METADATA_DISABLED` turns the provider off.
    public var isDisabled: Bool {
        environment.nonEmptyValue("AWS_EC2_METADATA_DISABLED")?.lowercased() == "true"
    }

    /// Returns the instance role's credentials.
    /// - Throws: `KMSError` with `config.no-credentials` when IMDS is disabled or has no role, or
    ///   `config.credentials-failed` when the token request or a later request fails.
    public func credentials() async throws -> Credentials {
        guard !isDisabled else {
            throw KMSError(code: .noCredentials, message: "The EC2 instance metadata service is disabled by AWS_EC2_METADATA_DISABLED.")
        }
        let base = try baseURL()
        let token: String
        switch try await fetchToken(base) {
        case .token(let value): token = value
        case .unreachable(let error):
            throw KMSError(
                code: .credentialsFailed,
                message: "The IMDSv2 session token request to \(base.absoluteString) failed (\(error.message)); IMDSv1 is never used, so no instance credentials are available.",
                underlying: error)
        }
        guard let credentials = try await fetchRoleCredentials(base, token: token) else {
            throw KMSError(code: .noCredentials, message: "This EC2 instance has no IAM role attached; attach an instance profile or use other credentials.")
        }
        return credentials
    }

    /// Returns the instance role's credentials, or nil when IMDS is disabled, unreachable or has no role.
    /// - Throws: `KMSError` with `config.credentials-failed` when IMDS answers but refuses the token or fails later.
    public func credentialsIfConfigured() async throws -> Credentials? {
        guard !isDisabled else { return nil }
        let base = try baseURL()
        guard case .token(let token) = try await fetchToken(base) else { return nil }
        return try await fetchRoleCredentials(base, token: token)
    }

    // MARK: - Steps

    private enum TokenResult {
        case token(String)
        case unreachable(KMSError)
    }

    private func baseURL() throws -> URL {
        let text = environment.nonEmptyValue("AWS_EC2_METADATA_SERVICE_ENDPOINT") ?? Self.defaultEndpoint
        let trimmed = text.hasSuffix("/") ? String(text.dropLast()) : text
        return try KMSEndpoint.parseEndpoint(trimmed, source: "AWS_EC2_METADATA_SERVICE_ENDPOINT")
    }

    /// IMDSv2 step 1: `PUT /latest/api/token`; a transport failure means there is no IMDS here.
    private func fetchToken(_ base: URL) async throws -> TokenResult {
        var request = HTTPRequest(method: "PUT", url: base.appendingPathComponent("latest/api/token"))
        request.headers.replace("X-aws-ec2-metadata-token-ttl-seconds", with: Self.tokenTTLSeconds)
        let response: HTTPResponse
        do {
            response = try await transport.send(request)
        } catch let error as KMSError {
            return .unreachable(error)
        }
        guard response.status == 200, let token = String(data: response.body, encoding: .utf8), !token.isEmpty else {
            throw KMSError(
                code: .credentialsFailed,
                message:
                    "No credentials in the environment or profile, and the EC2 instance metadata service refused an IMDSv2 session token (HTTP \(response.status)); IMDSv1 is never used. Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY or use --profile, or on EC2 check the instance's metadata options (AWS_EC2_METADATA_DISABLED=true skips it).",
                httpStatus: response.status)
        }
        return .token(token.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// IMDSv2 steps 2 and 3: the role name, then its credentials; nil when no role is attached.
    private func fetchRoleCredentials(_ base: URL, token: String) async throws -> Credentials? {
        let listURL = base.appendingPathComponent("latest/meta-data/iam/security-credentials/")
        let list = try await get(listURL, token: token)
        if list.status == 404 { return nil }
        guard list.status == 200 else { throw httpFailure(list.status, what: "the instance role name") }
        let names = String(decoding: list.body, as: UTF8.self).split(whereSeparator: \.isNewline)
        guard let role = names.first.map({ $0.trimmingCharacters(in: .whitespaces) }), !role.isEmpty else { return nil }
        let response = try await get(listURL.appendingPathComponent(role), token: token)
        guard response.status == 200 else { throw httpFailure(response.status, what: "credentials of role '\(role)'") }
        let source = "the EC2 instance metadata service (role \(role))"
        let document = try CredentialsDocument.decode(response.body, from: source)
        if let code = document.code, code != "Success" {
            throw KMSError(code: .credentialsFailed, message: "The EC2 instance metadata service answered \(code) for role '\(role)'; check the instance profile.")
        }
        return try document.makeCredentials(from: source, label: "instance role \(role)")
    }

    private func get(_ url: URL, token: String) async throws -> HTTPResponse {
        var request = HTTPRequest(method: "GET", url: url)
        request.headers.replace("X-aws-ec2-metadata-token", with: token)
        do {
            return try await transport.send(request)
        } catch let error as KMSError {
            throw KMSError(
                code: .credentialsFailed, message: "The EC2 instance metadata service stopped answering: \(error.message)", underlying: error)
        }
    }

    private func httpFailure(_ status: Int, what: String) -> KMSError {
        KMSError(
            code: .credentialsFailed, message: "The EC2 instance metadata service failed to return \(what) (HTTP \(status)).",
            httpStatus: status)
    }
}
