import Foundation

/// Calls the IAM Identity Center portal's `GetRoleCredentials` (unsigned GET with the bearer token).
public struct SSOPortalClient: Sendable {
    /// The pipeline calls go through (unsigned).
    public let pipeline: AWSRequestPipeline
    /// The portal endpoint (`https://portal.sso.<region>.amazonaws.com`).
    public let endpoint: URL

    /// Creates a client over an unsigned pipeline.
    public init(pipeline: AWSRequestPipeline, endpoint: URL) {
        self.pipeline = pipeline
        self.endpoint = endpoint
    }

    /// The error decoder portal pipelines use (REST-JSON errors).
    public static let errorDecoder: AWSErrorDecoder = { response, operation in
        AWSErrorMapping.error(for: response, operation: operation)
    }

    /// Exchanges an SSO access token for the role's credentials in an account.
    /// - Throws: `KMSError`; an expired or revoked token (`UnauthorizedException`) is `kms.authentication-failed`.
    public func roleCredentials(accountID: String, roleName: String, accessToken: String, source: String) async throws -> Credentials {
        var components = URLComponents(url: endpoint, resolvingAgainstBaseURL: false)
        components?.path = (endpoint.path.hasSuffix("/") ? String(endpoint.path.dropLast()) : endpoint.path) + "/federation/credentials"
        components?.queryItems = [URLQueryItem(name: "account_id", value: accountID), URLQueryItem(name: "role_name", value: roleName)]
        guard let url = components?.url else {
            throw KMSError(code: .invalidConfiguration, message: "No SSO portal URL can be built from '\(endpoint.absoluteString)'.")
        }
        let request = HTTPRequest(method: "GET", url: url, headers: HTTPHeaders([("x-amz-sso_bearer_token", accessToken)]))
        let call = AWSCall(operation: "GetRoleCredentials", request: request, isMutating: false, signing: .unsigned)
        return try await pipeline.send(call) { response in try Self.decode(response, source: source) }.output
    }

    private struct Answer: Decodable {
        struct RoleCredentials: Decodable {
            var accessKeyId: String?
            var secretAccessKey: String?
            var sessionToken: String?
            /// Milliseconds since 1970.
            var expiration: Double?
        }
        var roleCredentials: RoleCredentials?
    }

    /// Reads the answer without ever quoting it (it holds secrets).
    static func decode(_ response: HTTPResponse, source: String) throws -> Credentials {
        guard let answer = try? JSONDecoder().decode(Answer.self, from: response.body),
            let role = answer.roleCredentials, let accessKeyID = role.accessKeyId, !accessKeyID.isEmpty,
            let secret = role.secretAccessKey, !secret.isEmpty, let expiration = role.expiration
        else {
            throw KMSError(code: .invalidResponse, message: "The SSO portal's GetRoleCredentials answer has no readable credentials.")
        }
        return Credentials(
            accessKeyID: accessKeyID, secretAccessKey: secret,
            sessionToken: role.sessionToken?.isEmpty == false ? role.sessionToken : nil,
            expiration: Date(timeIntervalSince1970: expiration / 1000), source: source)
    }
}
