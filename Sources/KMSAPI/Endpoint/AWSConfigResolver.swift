import Foundation

/// Resolves profile, region, endpoint and retry settings from flags, environment and shared files, as the AWS CLI does.
public struct AWSConfigResolver: Sendable {
    /// The process environment.
    public let environment: [String: String]
    /// The loaded config and credentials files.
    public let files: SharedConfiguration

    /// Creates a resolver over already-loaded files.
    public init(environment: [String: String], files: SharedConfiguration) {
        self.environment = environment
        self.files = files
    }

    /// Returns the profile name (`--profile` > `AWS_PROFILE` > `default`) and whether it was chosen explicitly.
    public func profileName(_ options: AWSOptions) -> (name: String, isExplicit: Bool) {
        if let flag = options.profile?.trimmingCharacters(in: .whitespaces), !flag.isEmpty { return (flag, true) }
        if let variable = environment.nonEmptyValue("AWS_PROFILE") { return (variable, true) }
        return ("default", false)
    }

    /// Returns the settings of the chosen profile, failing when an explicitly named one does not exist.
    /// - Throws: `KMSError` with `config.invalid` naming the missing profile.
    public func profileSettings(_ options: AWSOptions) throws -> (name: String, settings: [String: String]) {
        let (name, isExplicit) = profileName(options)
        if let settings = files.profile(named: name) { return (name, settings) }
        if isExplicit {
            throw KMSError(
                code: .invalidConfiguration,
                message: "Profile '\(name)' was not found in '\(files.configPath)' or '\(files.credentialsPath)'; check --profile and AWS_PROFILE.")
        }
        return (name, [:])
    }

    /// Resolves every setting the KMS client needs.
    /// - Throws: `KMSError` with `config.no-region` when no region is set, or `config.invalid`
    ///   naming the bad setting (unknown profile, malformed region, endpoint, attempts or retry mode).
    public func resolve(_ options: AWSOptions) throws -> ResolvedAWSConfiguration {
        let (profile, settings) = try profileSettings(options)
        let region = try resolveRegion(options, profile: profile, settings: settings)
        let useFIPS = try resolveFIPS(profile: profile, settings: settings)
        let (endpoint, endpointSource) = try resolveEndpoint(
            options, region: region, useFIPS: useFIPS, profile: profile, settings: settings)
        let retryMode = try resolveRetryMode(profile: profile, settings: settings)
        return ResolvedAWSConfiguration(
            region: region, endpoint: endpoint, profile: profile,
            maxAttempts: try resolveMaxAttempts(profile: profile, settings: settings, mode: retryMode),
            retryMode: retryMode,
            useFIPS: useFIPS, endpointSource: endpointSource,
            caBundle: caBundle(profile: profile, settings: settings))
    }

    // MARK: - CA bundle

    /// The custom CA bundle, botocore's `ca_bundle` variable: `AWS_CA_BUNDLE`, then the profile's `ca_bundle`.
    private func caBundle(profile: String, settings: [String: String]) -> CABundle? {
        if let path = environment.nonEmptyValue("AWS_CA_BUNDLE") { return CABundle(path: path, setting: "AWS_CA_BUNDLE") }
        if let path = settings.nonEmptyValue("ca_bundle") { return CABundle(path: path, setting: "ca_bundle in profile '\(profile)'") }
        return nil
    }

    // MARK: - Region

    private func resolveRegion(_ options: AWSOptions, profile: String, settings: [String: String]) throws -> String {
        let candidates: [(String?, String)] = [
            (options.region?.trimmingCharacters(in: .whitespaces), "--region"),
            (environment.nonEmptyValue("AWS_REGION"), "AWS_REGION"),
            (environment.nonEmptyValue("AWS_DEFAULT_REGION"), "AWS_DEFAULT_REGION"),
            (settings.nonEmptyValue("region"), "region in profile '\(profile)'"),
        ]
        guard let (region, source) = candidates.first(where: { $0.0?.isEmpty == false }).map({ ($0.0 ?? "", $0.1) }) else {
            throw KMSError(
                code: .noRegion,
                message: "No AWS region is configured; pass --region, set AWS_REGION or AWS_DEFAULT_REGION, or add region to profile '\(profile)'.")
        }
        guard KMSEndpoint.isValidRegion(region) else {
            throw KMSError(
                code: .invalidConfiguration,
                message: "The region '\(region)' from \(source) is not a valid AWS Region name; use lowercase letters, digits and dashes, such as us-east-1.")
        }
        return region
    }

    // MARK: - Endpoint

    private func resolveFIPS(profile: String, settings: [String: String]) throws -> Bool {
        if let value = environment.nonEmptyValue("AWS_USE_FIPS_ENDPOINT") {
            return try Self.parseBool(value, source: "AWS_USE_FIPS_ENDPOINT")
        }
        if let value = settings.nonEmptyValue("use_fips_endpoint") {
            return try Self.parseBool(value, source: "use_fips_endpoint in profile '\(profile)'")
        }
        return false
    }

    private func resolveEndpoint(
        _ options: AWSOptions, region: String, useFIPS: Bool, profile: String, settings: [String: String]
    ) throws -> (URL, String) {
        // `--endpoint-url` names the endpoint of the service the command calls: KMS.
        if let flag = options.endpointURL?.trimmingCharacters(in: .whitespaces), !flag.isEmpty {
            return (try KMSEndpoint.parseEndpoint(flag, source: "--endpoint-url"), "--endpoint-url")
        }
        return try configuredEndpoint(for: .kms, region: region, useFIPS: useFIPS, profile: profile, settings: settings)
    }

    /// Resolves the endpoint of any service this tool calls, by the SDKs' rule:
    /// `AWS_ENDPOINT_URL_<SERVICE>` > `AWS_ENDPOINT_URL` > the profile's `services` section >
    /// the profile's `endpoint_url` > the public endpoint of the Region (FIPS when asked).
    /// `--endpoint-url` is not consulted: it names the KMS endpoint only.
    /// - Returns: the URL and the setting it came from (`default` for the public endpoint).
    /// - Throws: `KMSError` with `config.invalid` naming a malformed setting.
    public func endpoint(for service: AWSServiceID, _ options: AWSOptions, region: String) throws -> (url: URL, source: String) {
        let (profile, settings) = try profileSettings(options)
        let useFIPS = try resolveFIPS(profile: profile, settings: settings)
        return try configuredEndpoint(for: service, region: region, useFIPS: useFIPS, profile: profile, settings: settings)
    }

    private func configuredEndpoint(
        for service: AWSServiceID, region: String, useFIPS: Bool, profile: String, settings: [String: String]
    ) throws -> (URL, String) {
        if try !ignoresConfiguredEndpoints(profile: profile, settings: settings) {
            let variable = "AWS_ENDPOINT_URL_\(service.environmentSuffix)"
            var candidates: [(String?, String)] = [
                (environment.nonEmptyValue(variable), variable),
                (environment.nonEmptyValue("AWS_ENDPOINT_URL"), "AWS_ENDPOINT_URL"),
            ]
            // The `services` section is service-specific, so it outranks the profile's global endpoint_url.
            if let servicesName = settings.nonEmptyValue("services") {
                let section = files.config.servicesSection(named: servicesName)
                candidates.append((
                    section?.nonEmptyValue("\(service.servicesKey).endpoint_url"),
                    "\(service.servicesKey) endpoint_url in services '\(servicesName)'"))
            }
            candidates.append((settings.nonEmptyValue("endpoint_url"), "endpoint_url in profile '\(profile)'"))
            if let (value, source) = candidates.first(where: { $0.0 != nil }), let value {
                return (try KMSEndpoint.parseEndpoint(value, source: source), source)
            }
        }
        guard let url = service.defaultURL(region: region, useFIPS: useFIPS) else {
            throw KMSError(
                code: .invalidConfiguration,
                message: "No \(service) endpoint can be built for region '\(region)'; set AWS_ENDPOINT_URL_\(service.environmentSuffix).")
        }
        return (url, "default")
    }

    private func ignoresConfiguredEndpoints(profile: String, settings: [String: String]) throws -> Bool {
        if let value = environment.nonEmptyValue("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS") {
            return try Self.parseBool(value, source: "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")
        }
        if let value = settings.nonEmptyValue("ignore_configured_endpoint_urls") {
            return try Self.parseBool(value, source: "ignore_configured_endpoint_urls in profile '\(profile)'")
        }
        return false
    }

    // MARK: - Retries

    private func resolveMaxAttempts(profile: String, settings: [String: String], mode: RetryMode) throws -> Int {
        let (value, source): (String?, String) =
            environment.nonEmptyValue("AWS_MAX_ATTEMPTS") != nil
            ? (environment.nonEmptyValue("AWS_MAX_ATTEMPTS"), "AWS_MAX_ATTEMPTS")
            : (settings.nonEmptyValue("max_attempts"), "max_attempts in profile '\(profile)'")
        guard let value else { return mode.defaultMaxAttempts }
        guard let attempts = Int(value), attempts >= 1 else {
            throw KMSError(
                code: .invalidConfiguration, message: "\(source) is '\(value)', which is not a whole number of at least 1; fix it or unset it.")
        }
        return attempts
    }

    private func resolveRetryMode(profile: String, settings: [String: String]) throws -> RetryMode {
        let (value, source): (String?, String) =
            environment.nonEmptyValue("AWS_RETRY_MODE") != nil
            ? (environment.nonEmptyValue("AWS_RETRY_MODE"), "AWS_RETRY_MODE")
            : (settings.nonEmptyValue("retry_mode"), "retry_mode in profile '\(profile)'")
        guard let value else { return .standard }
        guard let mode = RetryMode(rawValue: value.lowercased()) else {
            throw KMSError(
                code: .invalidConfiguration, message: "\(source) is '\(value)'; use standard, legacy or adaptive.")
        }
        return mode
    }

    /// Parses `true` or `false` in any case.
    static func parseBool(_ value: String, source: String) throws -> Bool {
        switch value.lowercased() {
        case "true": return true
        case "false": return false
        default:
            throw KMSError(code: .invalidConfiguration, message: "\(source) is '\(value)'; use true or false.")
        }
    }
}
