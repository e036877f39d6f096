import Foundation

/// Asks a person for the current MFA code of a device; returns nil when nobody can be asked (no terminal).
public typealias MFACodePrompt = @Sendable (_ profile: String, _ mfaSerial: String) async throws -> String?

/// Assumes a role with STS `AssumeRole`, signed with a source provider's credentials.
///
/// With `mfa_serial`, each refresh asks `prompt` for a code; without a terminal the prompt answers
/// nil and the refresh fails with `config.sign-in-required`, so a long run stops cleanly.
public struct AssumeRoleCredentialProvider: CredentialProvider {
    /// The profile that configures the role, for messages and the source label.
    public let profile: String
    /// The call's members (without the MFA code, which is asked for each time).
    public let request: AssumeRoleRequest
    private let source: any CredentialProvider
    private let makeSTS: @Sendable (any CredentialProvider) throws -> STSClient
    private let prompt: MFACodePrompt

    /// Creates a provider.
    /// - Parameters:
    ///   - source: signs the `AssumeRole` call (a source profile's chain or a `credential_source`).
    ///   - makeSTS: makes an STS client that signs with the given credentials.
    ///   - prompt: asks for an MFA code when `request.serialNumber` is set.
    public init(
        profile: String, request: AssumeRoleRequest, source: any CredentialProvider,
        makeSTS: @escaping @Sendable (any CredentialProvider) throws -> STSClient, prompt: @escaping MFACodePrompt
    ) {
        self.profile = profile
        self.request = request
        self.source = source
        self.makeSTS = makeSTS
        self.prompt = prompt
    }

    /// Returns the role's temporary credentials.
    /// - Throws: `KMSError` with `config.sign-in-required` when an MFA code is needed and cannot be
    ///   asked for, the source's errors, or the mapped STS error.
    public func credentials() async throws -> Credentials {
        var call = request
        if let serial = request.serialNumber {
            guard let code = try await prompt(profile, serial)?.trimmingCharacters(in: .whitespacesAndNewlines), !code.isEmpty else {
                throw KMSError(
                    code: .signInRequired,
                    message: "Profile '\(profile)' needs an MFA code for '\(serial)' and none could be asked for (no terminal); run at a terminal to enter it, or use a profile without mfa_serial.")
            }
            call.tokenCode = code
        }
        return try await makeSTS(source).assumeRole(call, source: "assume-role profile \(profile)")
    }
}
