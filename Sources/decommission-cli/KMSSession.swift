import Decommission
import Foundation
import KMSAPI

/// A KMS client configured from the global options, the environment and the shared files.
struct KMSSession: Sendable {
    let client: KMSClient
    let configuration: ResolvedAWSConfiguration
    /// The transport every AWS client of this command uses (KMS, STS, SSO, CloudTrail, S3).
    let transport: any HTTPTransport
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
        let transport = try makeTransport(resolved.caBundle)
        let observer = global.verbose ? Self.callLogger(output) : nil
        let chain = makeCredentialChain(
            files: files, resolver: resolver, options: options, resolved: resolved, transport: transport, observer: observer)
        let configuration = KMSClientConfiguration(
            region: resolved.region, endpoint: resolved.endpoint, maxAttempts: resolved.maxAttempts,
            retryMode: resolved.retryMode.rawValue, userAgent: "decommission/\(HelpFormatter.version)")
        let credentials = CachingCredentialProvider(
            base: global.verbose ? CredentialLogger(base: chain, output: output) : chain, now: dependencies.now)
        let client = KMSClient(
            configuration: configuration,
            credentials: credentials,
            transport: transport,
            rateLimiter: rateLimited ? RateLimiter(clock: dependencies.clock, scale: global.rateScale) : .unlimited,
            clock: dependencies.clock, now: dependencies.now, random: .system(),
            observer: observer)
        if global.verbose {
            output.note("kms: region \(resolved.region), endpoint \(resolved.endpoint.absoluteString) (\(resolved.endpointSource)), profile \(resolved.profile)")
            if let bundle = resolved.caBundle {
                output.note("tls: trusting only the CA certificates in '\(bundle.path)' (\(bundle.setting))")
            }
        }
        let cloudTrail = try makeCloudTrailClient(
            resolver: resolver, options: options, resolved: resolved, credentials: credentials, transport: transport,
            rateLimited: rateLimited, observer: observer)
        return KMSSession(client: client, configuration: resolved, transport: transport, cloudTrail: cloudTrail, credentials: credentials)
    }

    /// The CloudTrail client: endpoint by the one rule; when none is configured and KMS goes to a
    /// `--endpoint-url` outside AWS (kms-local), CloudTrail goes there too, and `--verbose` says so.
    private func makeCloudTrailClient(
        resolver: AWSConfigResolver, options: AWSOptions, resolved: ResolvedAWSConfiguration, credentials: any CredentialProvider,
        transport: any HTTPTransport, rateLimited: Bool, observer: (@Sendable (KMSCallEvent) -> Void)?
    ) throws -> CloudTrailClient {
        var (configuration, source) = try CloudTrailClient.configuration(
            resolver: resolver, options: options, resolved: resolved, userAgent: "decommission/\(HelpFormatter.version)")
        if source == "default", global.endpointURL != nil, !Self.isAWSHost(resolved.endpoint) {
            configuration.endpoint = resolved.endpoint
            source = "same as --endpoint-url: no CloudTrail endpoint configured"
        }
        if global.verbose { output.note("cloudtrail: endpoint \(configuration.endpoint.absoluteString) (\(source))") }
        return CloudTrailClient(
            configuration: configuration, credentials: credentials, transport: transport,
            rateLimiter: rateLimited
                ? RateLimiter(clock: dependencies.clock, quotas: RateLimiter.cloudTrailQuotas, scale: global.rateScale) : .unlimited,
            clock: dependencies.clock, now: dependencies.now, random: .system(), observer: observer)
    }

    /// Whether an endpoint is an AWS service host (so it names KMS only, never CloudTrail).
    static func isAWSHost(_ url: URL) -> Bool {
        let host = url.host?.lowercased() ?? ""
        return host.hasSuffix(".amazonaws.com") || host.hasSuffix(".amazonaws.com.cn") || host.hasSuffix(".api.aws")
    }

    /// The transport for this command's AWS calls: the default one, or, when a CA bundle is
    /// configured, one that trusts only that bundle (never a silent fallback to the system store).
    /// - Throws: `KMSError` with `config.invalid` naming the setting when the bundle is missing,
    ///   unreadable or holds no certificate, or when libcurl cannot be loaded.
    func makeTransport(_ caBundle: CABundle?) throws -> any HTTPTransport {
        guard let caBundle else { return dependencies.transport }
        try caBundle.validate(readFile: dependencies.readFile)
        return try dependencies.makeCABundleTransport(caBundle)
    }

    /// Builds botocore's credential chain with STS and SSO clients on the same transport, clock and observer.
    func makeCredentialChain(
        files: SharedConfiguration, resolver: AWSConfigResolver, options: AWSOptions, resolved: ResolvedAWSConfiguration,
        transport: any HTTPTransport, observer: (@Sendable (KMSCallEvent) -> Void)?
    ) -> DefaultCredentialChain {
        let profile = resolver.profileName(options)
        let services = CredentialServiceFactory(
            resolver: resolver, options: options, region: resolved.region, retryMode: resolved.retryMode,
            maxAttempts: resolved.maxAttempts, userAgent: "decommission/\(HelpFormatter.version)",
            transport: transport, clock: dependencies.clock, now: dependencies.now, random: .system(),
            observer: observer)
        // Container credentials keep the default transport: botocore's ContainerMetadataFetcher
        // does not use ca_bundle either (its endpoints are link-local HTTP).
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
