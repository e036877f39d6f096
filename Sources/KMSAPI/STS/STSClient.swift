import Foundation

/// Calls AWS STS over the Query protocol through the shared pipeline: `AssumeRole` (signed) and
/// `AssumeRoleWithWebIdentity` (unsigned).
public struct STSClient: Sendable {
    /// The API version every call names.
    static let apiVersion = "2011-06-15"

    /// The pipeline calls go through (SigV4 for service `sts`).
    public let pipeline: AWSRequestPipeline
    /// The STS endpoint.
    public let endpoint: URL

    /// Creates a client over a pipeline made for `sts` in the endpoint's signing Region.
    public init(pipeline: AWSRequestPipeline, endpoint: URL) {
        self.pipeline = pipeline
        self.endpoint = endpoint
    }

    /// The error decoder STS pipelines use: Query `<ErrorResponse>` bodies.
    public static let errorDecoder: AWSErrorDecoder = { response, operation in
        AWSErrorMapping.error(forXML: response, operation: operation)
    }

    /// Assumes a role with the pipeline's credentials.
    /// - Returns: temporary credentials labelled `source`.
    /// - Throws: `KMSError` with the mapped STS error (`AccessDenied` is `kms.access-denied`).
    public func assumeRole(_ request: AssumeRoleRequest, source: String) async throws -> Credentials {
        let call = AWSCall(
            operation: "AssumeRole",
            request: QueryProtocolRequest.make(
                endpoint: endpoint, action: "AssumeRole", version: Self.apiVersion, parameters: request.parameters),
            isMutating: false, signing: .sigV4)
        return try await pipeline.send(call) { response in
            try Self.credentials(in: response, result: "AssumeRoleResult", source: source)
        }.output
    }

    /// Exchanges a web identity token for role credentials; the call is not signed.
    /// - Throws: `KMSError` with the mapped STS error (`InvalidIdentityToken` is `kms.authentication-failed`).
    public func assumeRoleWithWebIdentity(_ request: AssumeRoleWithWebIdentityRequest, source: String) async throws -> Credentials {
        let call = AWSCall(
            operation: "AssumeRoleWithWebIdentity",
            request: QueryProtocolRequest.make(
                endpoint: endpoint, action: "AssumeRoleWithWebIdentity", version: Self.apiVersion,
                parameters: request.parameters),
            isMutating: false, signing: .unsigned)
        return try await pipeline.send(call) { response in
            try Self.credentials(in: response, result: "AssumeRoleWithWebIdentityResult", source: source)
        }.output
    }

    /// Reads `<Result><Credentials>` from an answer, never quoting it (it holds secrets).
    static func credentials(in response: HTTPResponse, result: String, source: String) throws -> Credentials {
        let invalid = KMSError(code: .invalidResponse, message: "The STS answer has no readable \(result) credentials.")
        guard let root = try? AWSXMLReader.parse(response.body),
            let element = root.descendant([result, "Credentials"]),
            let accessKeyID = element.childText("AccessKeyId"), !accessKeyID.isEmpty,
            let secret = element.childText("SecretAccessKey"), !secret.isEmpty,
            let token = element.childText("SessionToken"), !token.isEmpty,
            let expirationText = element.childText("Expiration"),
            let expiration = CredentialsDocument.parseDate(expirationText)
        else { throw invalid }
        return Credentials(
            accessKeyID: accessKeyID, secretAccessKey: secret, sessionToken: token, expiration: expiration, source: source)
    }
}
