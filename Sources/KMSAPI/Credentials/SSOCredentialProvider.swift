import Foundation

/// Gets a role's credentials from IAM Identity Center: the cached SSO token, then the portal's `GetRoleCredentials`.
public struct SSOCredentialProvider: CredentialProvider {
    /// The profile, for messages and the credentials' source label.
    public let profile: String
    /// The account the role is in (`sso_account_id`).
    public let accountID: String
    /// The permission set's role name (`sso_role_name`).
    public let roleName: String
    private let token: SSOTokenProvider
    private let portal: SSOPortalClient

    /// Creates a provider.
    public init(profile: String, accountID: String, roleName: String, token: SSOTokenProvider, portal: SSOPortalClient) {
        self.profile = profile
        self.accountID = accountID
        self.roleName = roleName
        self.token = token
        self.portal = portal
    }

    /// Returns the role's temporary credentials.
    /// - Throws: `KMSError` with `config.sign-in-required` when the SSO session is missing, expired
    ///   or rejected by the portal; other portal errors as mapped.
    public func credentials() async throws -> Credentials {
        let accessToken = try await token.accessToken()
        do {
            return try await portal.roleCredentials(
                accountID: accountID, roleName: roleName, accessToken: accessToken, source: "sso profile \(profile)")
        } catch let error as KMSError where error.code == .authenticationFailed {
            throw KMSError(
                code: .signInRequired,
                message: "The IAM Identity Center session of profile '\(profile)' was rejected (\(error.awsErrorType ?? "unauthorized")); run `aws sso login --profile \(profile)` and try again.",
                awsErrorType: error.awsErrorType, httpStatus: error.httpStatus, requestID: error.requestID)
        }
    }
}
