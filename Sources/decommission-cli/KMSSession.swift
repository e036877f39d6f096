import Decommission
import Foundation
import KMSAPI

/// A KMS client configured from the global options, the environment and the shared files.
struct KMSSession: Sendable {
    let client: KMSClient
    let configuration: ResolvedAWSConfiguration
    /// CloudTrail beside KMS: same credentials, Region and retries; paced at LookupEvents' 2/s.
    let cloudTrail: CloudTrailClient
    let credentials: any CredentialProvider

    var region: String { configuration.region }
    var endpoint: URL { configuration.endpoint }
}

extension CommandContext {
    /// Resolves region, endpoint and credentials as the AWS SDKs do and makes a client.
    /// - Throws: `KMSError` with `config.*` codes (no region, bad profile, invalid settings).
    func makeSession(rateLimited: Bool = true) throws -> KMSSession {
        let dependencies = self.dependencies
        let files = try SharedConfiguration.load(
            environment: environment, homeDirectory: environment["HOME"] ?? dependencies.homeDirectory,
            readFile: dependencies.readFile)
        let resolver = AWSConfigResolver(environment: environment, files: files)
        let options = AWSOptions(region: global.region, profile: global.profile, endpointURL: global.endpointURL)
        let resolved = try resolver.resolve(options)
        let observer = global.verbose ? Self.callLogger(output) : nil
        let chain = makeCredentialChain(files: files, resolver: resolver, options: options, resolved: resolved, observer: observer)
        let configuration = KMSClientConfiguration(
            region: resolved.region, endpoint: resolved.endpoint, maxAttempts: resolved.maxAttempts,
            retryMode: resolved.retryMode.rawValue, userAgent: "decommission/\(HelpFormatter.version)")
        let credentials = CachingCredentialProvider(
            base: global.verbose ? CredentialLogger(base: chain, output: output) : chain, now: dependencies.now)
        let client = KMSClient(
            configuration: configuration,
            credentials: credentials,
            transport: dependencies.transport,
            rateLimiter: rateLimited ? RateLimiter(clock: dependencies.clock, scale: global.rateScale) : .unlimited,
            clock: dependencies.clock, now: dependencies.now, random: .system(),
            observer: observer)
        if let (bundle, setting) = Self.caBundle(environment: environment, profileSettings: try resolver.profileSettings(options)) {
            output.note("warning: \(setting) names '\(bundle)', but on Linux URLSession cannot use a CA file; add the certificate to the system trust store (update-ca-certificates) instead.")
        }
        if global.verbose {
            output.note("kms: region \(resolved.region), endpoint \(resolved.endpoint.absoluteString) (\(resolved.endpointSource)), profile \(resolved.profile)")
        }
        let cloudTrail = try makeCloudTrailClient(
            resolver: resolver, options: options, resolved: resolved, credentials: credentials, rateLimited: rateLimited, observer: observer)
        return KMSSession(client: client, configuration: resolved, cloudTrail: cloudTrail, credentials: credentials)
    }

    /// The CloudTrail client: endpoint by the one rule; when none is configured and KMS goes to a
    /// `--endpoint-url` outside AWS (kms-local), CloudTrail goes there too, and `--verbose` says so.
    private func makeCloudTrailClient(
        resolver: AWSConfigResolver, options: AWSOptions, resolved: ResolvedAWSConfiguration, credentials: any CredentialProvider,
        rateLimited: Bool, observer: (@Sendable (KMSCallEvent) -> Void)?
    ) throws -> CloudTrailClient {
        var (configuration, source) = try CloudTrailClient.configuration(
            resolver: resolver, options: options, resolved: resolved, userAgent: "decommission/\(HelpFormatter.version)")
        if source == "default", global.endpointURL != nil, !Self.isAWSHost(resolved.endpoint) {
            configuration.endpoint = resolved.endpoint
            source = "same as --endpoint-url: no CloudTrail endpoint configured"
        }
        if global.verbose { output.note("cloudtrail: endpoint \(configuration.endpoint.absoluteString) (\(source))") }
        return CloudTrailClient(
            configuration: configuration, credentials: credentials, transport: dependencies.transport,
            rateLimiter: rateLimited
                ? RateLimiter(clock: dependencies.clock, quotas: RateLimiter.cloudTrailQuotas, scale: global.rateScale) : .unlimited,
            clock: dependencies.clock, now: dependencies.now, random: .system(), observer: observer)
    }

    /// Whether an endpoint is an AWS service host (so it names KMS only, never CloudTrail).
    static func isAWSHost(_ url: URL) -> Bool {
        let host = url.host?.lowercased() ?? ""
        return host.hasSuffix(".amazonaws.com") || host.hasSuffix(".amazonaws.com.cn") || host.hasSuffix(".api.aws")
    }

    /// Builds botocore's credential chain with STS and SSO clients on the same transport, clock and observer.
    private func makeCredentialChain(
        files: SharedConfiguration, resolver: AWSConfigResolver, options: AWSOptions, resolved: ResolvedAWSConfiguration,
        observer: (@Sendable (KMSCallEvent) -> Void)?
    ) -> DefaultCredentialChain {
        let profile = resolver.profileName(options)
        let services = CredentialServiceFactory(
            resolver: resolver, options: options, region: resolved.region, retryMode: resolved.retryMode,
            maxAttempts: resolved.maxAttempts, userAgent: "decommission/\(HelpFormatter.version)",
            transport: dependencies.transport, clock: dependencies.clock, now: dependencies.now, random: .system(),
            observer: observer)
        let context = CredentialContext(
            environment: environment, files: files, homeDirectory: environment["HOME"] ?? dependencies.homeDirectory,
            readFile: dependencies.readFile, writeFile: dependencies.writeFile, transport: dependencies.transport,
            metadataTransport: dependencies.metadataTransport, processRunner: dependencies.processRunner,
            services: services, mfaPrompt: Self.mfaPrompt(dependencies.io), now: dependencies.now)
        // `--profile` (unlike AWS_PROFILE) skips the environment's keys, as the AWS CLI does.
        return DefaultCredentialChain(
            context: context, profile: profile.name, isExplicitProfile: profile.isExplicit,
            skipsEnvironment: global.profile?.trimmingCharacters(in: .whitespaces).isEmpty == false)
    }

    /// The CA bundle setting (`AWS_CA_BUNDLE`, then the profile's `ca_bundle`), if any, and where it came from.
    static func caBundle(environment: [String: String], profileSettings: (name: String, settings: [String: String])) -> (String, String)? {
        if let value = environment["AWS_CA_BUNDLE"], !value.isEmpty { return (value, "AWS_CA_BUNDLE") }
        if let value = profileSettings.settings["ca_bundle"], !value.isEmpty {
            return (value, "ca_bundle in profile '\(profileSettings.name)'")
        }
        return nil
    }

    /// Asks for an MFA code on the terminal; answers nil (so the refresh fails with
    /// `config.sign-in-required`) when stdin is not a terminal.
    static func mfaPrompt(_ io: CLIIO) -> MFACodePrompt {
        { profile, serial in
            guard io.isStdinTTY else { return nil }
            io.writeStderr("Enter the MFA code for \(serial) (profile \(profile)): ")
            return io.readLine()
        }
    }

    /// Makes the `--verbose` observer: one stderr line per KMS attempt, never headers, bodies or credentials.
    static func callLogger(_ output: Output) -> @Sendable (KMSCallEvent) -> Void {
        { event in output.note(Self.describe(event)) }
    }

    /// Describes one AWS attempt (KMS or another service) for the `--verbose` log.
    static func describe(_ event: KMSCallEvent) -> String {
        let milliseconds = Double(event.duration.components.seconds) * 1000 + Double(event.duration.components.attoseconds) / 1e15
        var text = "\(event.service): \(event.operation.rawValue) attempt \(event.attempt)"
        text += " status \(event.status.map(String.init) ?? "none")"
        if let errorType = event.errorType { text += " \(errorType)" }
        text += " request-id \(event.requestID ?? "none")"
        text += " \(String(format: "%.1f", milliseconds)) ms"
        if event.willRetry { text += " (will retry)" }
        return text
    }
}

extension KMSSession {
    /// Where observation, guard and plan-time sweeps read CloudTrail; the session's access key id
    /// marks the tool's own calls (never evidence).
    func cloudTrailSource() async -> CloudTrailEvidenceSource {
        let accessKey = try? await credentials.credentials().accessKeyID
        return CloudTrailEvidenceSource(
            gateway: CloudTrailClientGateway(client: cloudTrail), tool: ToolIdentity(accessKeyIDs: accessKey.map { [$0] } ?? []))
    }
}
