import Foundation

/// Calls IAM Identity Center OIDC's `CreateToken` with a refresh token (unsigned JSON POST to `/token`).
public struct SSOOIDCClient: Sendable {
    /// The pipeline calls go through (unsigned).
    public let pipeline: AWSRequestPipeline
    /// The OIDC endpoint (`https://oidc.<region>.amazonaws.com`).
    public let endpoint: URL

    /// Creates a client over an unsigned pipeline.
    public init(pipeline: AWSRequestPipeline, endpoint: URL) {
        self.pipeline = pipeline
        self.endpoint = endpoint
    }

    /// The error decoder OIDC pipelines use (REST-JSON errors).
    public static let errorDecoder: AWSErrorDecoder = { response, operation in
        AWSErrorMapping.error(for: response, operation: operation)
    }

    /// A refreshed token (secrets: never logged).
    public struct RefreshedToken: Sendable, Equatable {
        /// The new bearer token for the portal.
        public var accessToken: String
        /// Seconds until `accessToken` expires.
        public var expiresIn: Int
        /// A new refresh token, when the service rotates it.
        public var refreshToken: String?
    }

    /// Trades a refresh token for a new access token.
    /// - Throws: `KMSError`; an expired refresh token (`InvalidGrantException`) keeps its AWS name.
    public func refresh(clientID: String, clientSecret: String, refreshToken: String) async throws -> RefreshedToken {
        let body = Body(clientId: clientID, clientSecret: clientSecret, grantType: "refresh_token", refreshToken: refreshToken)
        let data: Data
        do {
            data = try JSONEncoder().encode(body)
        } catch {
            throw KMSError(code: .invalidRequest, message: "The CreateToken request could not be encoded.")
        }
        var url = endpoint
        url.appendPathComponent("token")
        let request = HTTPRequest(
            method: "POST", url: url, headers: HTTPHeaders([("Content-Type", "application/json")]), body: data)
        let call = AWSCall(operation: "CreateToken", request: request, isMutating: false, signing: .unsigned)
        return try await pipeline.send(call) { response in
            guard let answer = try? JSONDecoder().decode(Answer.self, from: response.body),
                let accessToken = answer.accessToken, !accessToken.isEmpty, let expiresIn = answer.expiresIn
            else {
                throw KMSError(code: .invalidResponse, message: "The SSO-OIDC CreateToken answer has no readable token.")
            }
            return RefreshedToken(accessToken: accessToken, expiresIn: expiresIn, refreshToken: answer.refreshToken)
        }.output
    }

    private struct Body: Encodable {
        var clientId: String
        var clientSecret: String
        var grantType: String
        var refreshToken: String
    }

    private struct Answer: Decodable {
        var accessToken: String?
        var expiresIn: Int?
        var refreshToken: String?
    }
}
