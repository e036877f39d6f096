import Decommission
import Foundation
import KMSAPI

/// A plan location as given on the command line: a local path (made absolute) or `s3://BUCKET/KEY.json`
/// (or, for `status`, a folder or `s3://BUCKET/PREFIX/`).
struct PlanLocation: Sendable, CustomStringConvertible {
    /// The absolute path, or the S3 location as written.
    let text: String
    /// The S3 location, nil for a local path.
    let s3: S3ObjectLocation?

    var description: String { text }
}

extension CommandContext {
    /// Reads a plan location argument; an `s3:` argument that is not a valid S3 location (or is a
    /// prefix where one plan is meant) is an error (`s3.invalid-location`), never a local path by accident.
    func planLocation(_ argument: String, allowingPrefix: Bool = false) throws -> PlanLocation {
        guard S3ObjectLocation.isS3Location(argument) else { return PlanLocation(text: absolutePath(argument), s3: nil) }
        let location = try S3ObjectLocation(parsing: argument)
        if location.kind == .prefix, !allowingPrefix {
            throw KMSError(
                code: .s3InvalidLocation,
                message: "'\(argument)' is an S3 prefix; this command takes one plan object, s3://BUCKET/KEY.json ('status' lists a prefix).")
        }
        return PlanLocation(text: location.description, s3: location)
    }

    /// The storage of a plan location: files beside a local plan, objects beside an S3 one.
    /// - Parameters:
    ///   - encryption: the `--s3-sse` choice for the objects written.
    ///   - lease: the S3 lock's lease (`--lock-lease`).
    func planStorage(
        for location: PlanLocation, encryption: S3ServerSideEncryption? = nil, lease: Duration = S3LockSettings.defaultLease
    ) throws -> any PlanStorage {
        guard let s3 = location.s3 else { return FilePlanStorage() }
        return try s3Storage(s3, encryption: encryption, lease: lease)
    }

    /// The S3 storage of the bucket of `location`.
    func s3Storage(_ location: S3ObjectLocation, encryption: S3ServerSideEncryption? = nil, lease: Duration = S3LockSettings.defaultLease) throws -> S3PlanStorage {
        let settings = S3LockSettings(
            lease: lease, runner: Self.runnerIdentity(environment), clock: dependencies.clock, now: dependencies.now)
        return S3PlanStorage(
            objects: S3ObjectStore(client: try makeS3Client(), bucket: location.bucket, encryption: encryption), lockSettings: settings)
    }

    /// The plan at a location with its journal replayed; writes nothing.
    func readCurrentPlan(_ location: PlanLocation) async throws -> Plan {
        guard let s3 = location.s3 else { return try PlanFiles.readCurrent(location.text) }
        return try await s3Storage(s3).checkpointStore(forPlan: location.text).load()
    }

    /// Checks the audit chain of the plan at a location.
    func verifyAudit(_ location: PlanLocation) async throws -> AuditVerification {
        guard let s3 = location.s3 else { return try AuditLog.verify(path: AuditLog.path(forPlan: location.text)) }
        return try await s3Storage(s3).verifyAudit(forPlan: location.text)
    }

    /// Who this runner is, for the S3 lock: `DECOMMISSION_RUNNER`, else the CI job's id.
    static func runnerIdentity(_ environment: [String: String]) -> String {
        if let runner = environment["DECOMMISSION_RUNNER"], !runner.isEmpty { return runner }
        if let run = environment["GITHUB_RUN_ID"], !run.isEmpty { return "github-run-\(run)-\(environment["GITHUB_RUN_ATTEMPT"] ?? "1")" }
        if let job = environment["CI_JOB_ID"], !job.isEmpty { return "gitlab-job-\(job)" }
        return "pid-\(ProcessInfo.processInfo.processIdentifier)"
    }

    /// Makes an S3 client with the same credential chain, retries and `--verbose` log as KMS;
    /// the bucket's Region is the resolved one (`--region`, `AWS_REGION`, the profile).
    func makeS3Client() throws -> S3Client {
        let files = try SharedConfiguration.load(
            environment: environment, homeDirectory: environment["HOME"] ?? dependencies.homeDirectory, readFile: dependencies.readFile)
        let resolver = AWSConfigResolver(environment: environment, files: files)
        let options = AWSOptions(region: global.region, profile: global.profile, endpointURL: nil)
        let resolved = try resolver.resolve(options)
        let observer = global.verbose ? Self.callLogger(output) : nil
        // The same transport as KMS: a configured CA bundle applies to S3 too.
        let transport = try makeTransport(resolved.caBundle)
        let chain = makeCredentialChain(
            files: files, resolver: resolver, options: options, resolved: resolved, transport: transport, observer: observer)
        let configuration = try S3ClientConfiguration.make(
            resolver: resolver, options: options, resolved: resolved, userAgent: "decommission/\(HelpFormatter.version)")
        if global.verbose {
            output.note("s3: region \(configuration.region), endpoint \(configuration.endpoint.absoluteString), \(configuration.addressingStyle)")
        }
        return S3Client(
            configuration: configuration, credentials: CachingCredentialProvider(base: chain, now: dependencies.now),
            transport: transport, rateLimiter: .unlimited, clock: dependencies.clock, now: dependencies.now,
            random: .system(), observer: observer)
    }
}
