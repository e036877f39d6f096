import Foundation

/// Builds the profile-based providers as botocore does: assume role (source profile chains of any
/// depth, `credential_source`), web identity and IAM Identity Center, with botocore's checks.
struct ProfileCredentialResolver: Sendable {
    let context: CredentialContext

    /// The `credential_source` values botocore accepts.
    static let credentialSources = ["Environment", "Ec2InstanceMetadata", "EcsContainer"]

    // MARK: - Assume role

    /// The assume-role provider of a profile with `role_arn` (and no `web_identity_token_file`), else nil.
    /// - Throws: `KMSError` with `config.invalid` naming the profile for a broken role configuration.
    func assumeRoleProvider(profile: String) throws -> (any CredentialProvider)? {
        guard let settings = context.files.profile(named: profile), Self.hasAssumeRoleSettings(settings) else { return nil }
        return try roleProvider(profile: profile, settings: settings, visited: [profile])
    }

    private func roleProvider(profile: String, settings: [String: String], visited: [String]) throws -> any CredentialProvider {
        guard let roleARN = settings.nonEmptyValue("role_arn") else {
            throw invalid("Profile '\(profile)' has an empty role_arn; set the role's ARN.")
        }
        let source: any CredentialProvider
        switch (settings.nonEmptyValue("source_profile"), settings.nonEmptyValue("credential_source")) {
        case (.some, .some):
            throw invalid("Profile '\(profile)' sets both source_profile and credential_source; keep one of them.")
        case (nil, nil):
            throw invalid("Profile '\(profile)' sets role_arn but neither source_profile nor credential_source; add one of them.")
        case (nil, let name?):
            source = try credentialSourceProvider(name, profile: profile)
        case (let name?, nil):
            try validateSourceProfile(name, parent: profile, visited: visited)
            source = try sourceProfileProvider(name, visited: visited + [name])
        }
        let services = context.services
        return AssumeRoleCredentialProvider(
            profile: profile, request: try assumeRoleRequest(profile: profile, settings: settings, roleARN: roleARN),
            source: source, makeSTS: { credentials in try services.makeSTS(credentials: credentials) },
            prompt: context.mfaPrompt)
    }

    private func assumeRoleRequest(profile: String, settings: [String: String], roleARN: String) throws -> AssumeRoleRequest {
        var duration: Int?
        if let text = settings.nonEmptyValue("duration_seconds") {
            guard let seconds = Int(text), seconds > 0 else {
                throw invalid("duration_seconds in profile '\(profile)' is '\(text)'; use a whole number of seconds such as 3600.")
            }
            duration = seconds
        }
        return AssumeRoleRequest(
            roleARN: roleARN, roleSessionName: settings.nonEmptyValue("role_session_name") ?? defaultSessionName(),
            durationSeconds: duration, externalID: settings.nonEmptyValue("external_id"),
            serialNumber: settings.nonEmptyValue("mfa_serial"))
    }

    /// botocore's check: the source exists, and a profile seen before is only allowed as itself with static keys.
    private func validateSourceProfile(_ name: String, parent: String, visited: [String]) throws {
        guard let settings = context.files.profile(named: name) else {
            throw invalid("The source_profile '\(name)' of profile '\(parent)' does not exist; fix source_profile or add the profile.")
        }
        guard visited.contains(name) else { return }
        if name != parent || !Self.hasStaticCredentials(settings) {
            throw invalid(
                "The source_profile chain of profile '\(visited[0])' loops (\((visited + [name]).joined(separator: " -> "))); make the last profile get credentials another way.")
        }
    }

    /// A source profile's credentials: its own chain when it has static keys or no role, else its role.
    private func sourceProfileProvider(_ name: String, visited: [String]) throws -> any CredentialProvider {
        let settings = context.files.profile(named: name) ?? [:]
        if Self.hasStaticCredentials(settings) || !Self.hasAssumeRoleSettings(settings) {
            return DefaultCredentialChain(
                sources: profileSources(name, allowsEnvironment: false),
                notFound: invalid("The source profile '\(name)' has no credentials; give it keys, SSO, web identity or credential_process."))
        }
        return try roleProvider(profile: name, settings: settings, visited: visited)
    }

    private func credentialSourceProvider(_ name: String, profile: String) throws -> any CredentialProvider {
        let source: any CredentialSource
        switch name {
        case "Environment": source = EnvironmentCredentialProvider(environment: context.environment)
        case "Ec2InstanceMetadata": source = IMDSCredentialProvider(environment: context.environment, transport: context.metadataTransport)
        case "EcsContainer":
            source = ContainerCredentialProvider(environment: context.environment, transport: context.transport, readFile: context.readFile)
        default:
            throw invalid(
                "Profile '\(profile)' has credential_source '\(name)'; use \(Self.credentialSources.joined(separator: ", ")).")
        }
        return DefaultCredentialChain(
            sources: [source],
            notFound: KMSError(
                code: .noCredentials, message: "The credential_source \(name) of profile '\(profile)' has no credentials here."))
    }

    // MARK: - Profile providers

    /// botocore's profile providers after assume role: web identity, SSO, then the file keys and process.
    func profileSources(_ profile: String, allowsEnvironment: Bool, isExplicit: Bool = false) -> [any CredentialSource] {
        [
            LazyCredentialSource { try webIdentityProvider(profile: profile, allowsEnvironment: allowsEnvironment) },
            LazyCredentialSource { try ssoProvider(profile: profile) },
            ProfileCredentialProvider(
                profile: profile, isExplicit: isExplicit, files: context.files, environment: context.environment,
                runner: context.processRunner),
        ]
    }

    /// The web identity provider from the environment (unless a profile was named with `--profile`) or the profile.
    /// - Throws: `KMSError` with `config.invalid` when a token file is set without a role ARN.
    func webIdentityProvider(profile: String, allowsEnvironment: Bool) throws -> (any CredentialProvider)? {
        let settings = context.files.profile(named: profile) ?? [:]
        func setting(_ key: String, _ variable: String) -> (value: String, fromEnvironment: Bool)? {
            if allowsEnvironment, let value = context.environment.nonEmptyValue(variable) { return (value, true) }
            return settings.nonEmptyValue(key).map { ($0, false) }
        }
        guard let tokenFile = setting("web_identity_token_file", "AWS_WEB_IDENTITY_TOKEN_FILE") else { return nil }
        let origin = tokenFile.fromEnvironment ? "the environment" : "profile \(profile)"
        guard let roleARN = setting("role_arn", "AWS_ROLE_ARN") else {
            throw invalid("A web identity token file is set in \(origin) but no role ARN; set AWS_ROLE_ARN or role_arn.")
        }
        return WebIdentityCredentialProvider(
            tokenFile: tokenFile.value, roleARN: roleARN.value,
            roleSessionName: setting("role_session_name", "AWS_ROLE_SESSION_NAME")?.value ?? defaultSessionName(),
            origin: origin, sts: try context.services.makeSTS(credentials: nil), readFile: context.readFile)
    }

    /// The IAM Identity Center provider of a legacy or `sso_session` profile, else nil.
    /// - Throws: `KMSError` with `config.invalid` naming missing or inconsistent settings.
    func ssoProvider(profile: String) throws -> (any CredentialProvider)? {
        let ssoKeys = ["sso_start_url", "sso_region", "sso_role_name", "sso_account_id"]
        guard var resolved = context.files.profile(named: profile), ssoKeys.contains(where: { resolved[$0] != nil }) else {
            return nil
        }
        var required = ssoKeys
        let sessionName = resolved.nonEmptyValue("sso_session")
        if let sessionName {
            guard let session = context.files.config.ssoSessionSection(named: sessionName) else {
                throw invalid("Profile '\(profile)' names sso_session '\(sessionName)', but there is no [sso-session \(sessionName)] section; add it.")
            }
            for (key, value) in session {
                if let mine = resolved[key], mine != value {
                    throw invalid("Profile '\(profile)' and [sso-session \(sessionName)] disagree on \(key); keep it in one place.")
                }
                resolved[key] = value
            }
            required.append("sso_session")
        }
        let missing = required.filter { resolved.nonEmptyValue($0) == nil }
        guard missing.isEmpty, let startURL = resolved.nonEmptyValue("sso_start_url"), let region = resolved.nonEmptyValue("sso_region"),
            let accountID = resolved.nonEmptyValue("sso_account_id"), let roleName = resolved.nonEmptyValue("sso_role_name")
        else {
            throw invalid("Profile '\(profile)' is configured for SSO but lacks \(missing.joined(separator: ", ")); add them.")
        }
        let token = SSOTokenProvider(
            profile: profile, sessionName: sessionName, startURL: startURL, ssoRegion: region,
            cacheDirectory: SharedConfiguration.expandHome("~/.aws/sso/cache", homeDirectory: context.homeDirectory),
            oidc: sessionName == nil ? nil : try context.services.makeOIDC(region: region),
            readFile: context.readFile, writeFile: context.writeFile, now: context.now)
        return SSOCredentialProvider(
            profile: profile, accountID: accountID, roleName: roleName, token: token,
            portal: try context.services.makePortal(region: region))
    }

    // MARK: - Rules

    /// botocore: a profile is an assume-role profile when it has `role_arn` and no web identity token file.
    static func hasAssumeRoleSettings(_ settings: [String: String]) -> Bool {
        settings["role_arn"] != nil && settings["web_identity_token_file"] == nil
    }

    static func hasStaticCredentials(_ settings: [String: String]) -> Bool {
        ["aws_access_key_id", "aws_secret_access_key", "aws_session_token"].contains { settings[$0] != nil }
    }

    /// botocore's default session name.
    private func defaultSessionName() -> String {
        "botocore-session-\(Int(context.now().timeIntervalSince1970))"
    }

    private func invalid(_ message: String) -> KMSError {
        KMSError(code: .invalidConfiguration, message: message)
    }
}

/// A source built when asked: nil from `make` means "not configured here".
struct LazyCredentialSource: CredentialSource {
    let make: @Sendable () throws -> (any CredentialProvider)?

    func credentials() async throws -> Credentials {
        guard let credentials = try await credentialsIfConfigured() else {
            throw KMSError(code: .noCredentials, message: "This credential source is not configured.")
        }
        return credentials
    }

    func credentialsIfConfigured() async throws -> Credentials? {
        guard let provider = try make() else { return nil }
        return try await provider.credentials()
    }
}
