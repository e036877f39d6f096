import Foundation

/// Exchanges a web identity token file (GitHub Actions OIDC, EKS IRSA) for role credentials with
/// STS `AssumeRoleWithWebIdentity`, reading the file again at every refresh (EKS rotates it).
public struct WebIdentityCredentialProvider: CredentialProvider {
    /// The token file.
    public let tokenFile: String
    /// The role to assume.
    public let roleARN: String
    /// The session name, as configured or generated.
    public let roleSessionName: String
    /// Where the settings came from, for messages (`profile ci` or `the environment`).
    public let origin: String
    private let sts: STSClient
    private let readFile: FileReader

    /// Creates a provider.
    public init(tokenFile: String, roleARN: String, roleSessionName: String, origin: String, sts: STSClient, readFile: @escaping FileReader) {
        self.tokenFile = tokenFile
        self.roleARN = roleARN
        self.roleSessionName = roleSessionName
        self.origin = origin
        self.sts = sts
        self.readFile = readFile
    }

    /// Reads the token and returns the role's temporary credentials.
    /// - Throws: `KMSError` with `config.sign-in-required` when the token file is missing, unreadable,
    ///   empty, or its token is rejected (`InvalidIdentityToken`, `ExpiredTokenException`); other STS errors as mapped.
    public func credentials() async throws -> Credentials {
        let data: Data?
        do {
            data = try readFile(tokenFile)
        } catch {
            throw signInRequired("cannot be read")
        }
        guard let data else { throw signInRequired("does not exist") }
        let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else { throw signInRequired("is empty") }
        let request = AssumeRoleWithWebIdentityRequest(roleARN: roleARN, roleSessionName: roleSessionName, webIdentityToken: token)
        do {
            return try await sts.assumeRoleWithWebIdentity(request, source: "web identity (\(origin))")
        } catch let error as KMSError where error.code == .authenticationFailed {
            throw KMSError(
                code: .signInRequired,
                message: "STS rejected the web identity token in '\(tokenFile)' (\(error.awsErrorType ?? "invalid token")) for role '\(roleARN)' from \(origin); renew the token and try again.",
                awsErrorType: error.awsErrorType, httpStatus: error.httpStatus, requestID: error.requestID)
        }
    }

    private func signInRequired(_ problem: String) -> KMSError {
        KMSError(
            code: .signInRequired,
            message: "The web identity token file '\(tokenFile)' from \(origin) \(problem); check AWS_WEB_IDENTITY_TOKEN_FILE or web_identity_token_file and that the identity provider wrote it.")
    }
}
