import Foundation

/// Reads a profile's keys from the shared files, or runs its `credential_process`.
///
/// Order follows botocore's last profile providers: keys from the credentials file, then a
/// `login_session` (refused), then `credential_process`, then keys from the config file. Role, web
/// identity and SSO settings are handled earlier in the chain by `ProfileCredentialResolver`.
public struct ProfileCredentialProvider: CredentialSource {
    /// The profile to read.
    public let profile: String
    /// Whether the profile was named by `--profile` or `AWS_PROFILE` (a missing one is then an error).
    public let isExplicit: Bool
    private let files: SharedConfiguration
    private let environment: [String: String]
    private let runner: any ProcessRunner

    /// Creates a provider.
    /// - Parameters:
    ///   - profile: the profile name.
    ///   - isExplicit: whether the user named the profile.
    ///   - files: the loaded shared files.
    ///   - environment: passed to `credential_process`.
    ///   - runner: runs `credential_process`.
    public init(profile: String, isExplicit: Bool, files: SharedConfiguration, environment: [String: String], runner: any ProcessRunner) {
        self.profile = profile
        self.isExplicit = isExplicit
        self.files = files
        self.environment = environment
        self.runner = runner
    }

    /// Returns the profile's credentials.
    /// - Throws: `KMSError` with `config.no-credentials` when the profile has none, `config.unsupported-profile` (login_session),
    ///   `config.invalid` for a missing explicit profile, or `config.credentials-failed`.
    public func credentials() async throws -> Credentials {
        try await requireConfigured("profile '\(profile)'")
    }

    /// Returns the profile's credentials, or nil when it has no credential settings at all.
    /// - Throws: as `credentials()`, except that "no credentials" is nil.
    public func credentialsIfConfigured() async throws -> Credentials? {
        guard let merged = files.profile(named: profile) else {
            if isExplicit {
                throw KMSError(
                    code: .invalidConfiguration,
                    message: "Profile '\(profile)' was not found in '\(files.configPath)' or '\(files.credentialsPath)'; check --profile and AWS_PROFILE.")
            }
            return nil
        }
        if let keys = try staticKeys(files.credentials.profile(named: profile), file: files.credentialsPath) { return keys }
        if merged.nonEmptyValue("login_session") != nil {
            throw KMSError(
                code: .unsupportedProfile,
                message: "Profile '\(profile)' uses login_session (`aws login`), which this tool does not support; use an IAM Identity Center profile (`aws configure sso`) or export credentials with `aws configure export-credentials --profile \(profile) --format env`.")
        }
        if let command = merged.nonEmptyValue("credential_process") {
            let process = ProcessCredentialProvider(command: command, profile: profile, environment: environment, runner: runner)
            return try await process.credentials()
        }
        return try staticKeys(files.config.profile(named: profile), file: files.configPath)
    }

    private func staticKeys(_ settings: [String: String]?, file: String) throws -> Credentials? {
        guard let settings else { return nil }
        let accessKeyID = settings.nonEmptyValue("aws_access_key_id")
        let secretAccessKey = settings.nonEmptyValue("aws_secret_access_key")
        switch (accessKeyID, secretAccessKey) {
        case (nil, nil):
            return nil
        case (let accessKeyID?, let secretAccessKey?):
            return Credentials(
                accessKeyID: accessKeyID, secretAccessKey: secretAccessKey,
                sessionToken: settings.nonEmptyValue("aws_session_token"), source: "profile \(profile)")
        case (nil, .some):
            throw halfPair(missing: "aws_access_key_id", file: file)
        case (.some, nil):
            throw halfPair(missing: "aws_secret_access_key", file: file)
        }
    }

    private func halfPair(missing: String, file: String) -> KMSError {
        KMSError(
            code: .credentialsFailed,
            message: "Profile '\(profile)' in '\(file)' has only one of aws_access_key_id and aws_secret_access_key; add \(missing) or remove the other.")
    }
}
