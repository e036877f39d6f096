import Decommission
import Foundation
import KMSAPI

/// `decommission plan`: discover the store and its keys, check them, and write a plan file.
struct PlanCommand: Command {
    static let spec = CommandSpec(
        name: "plan",
        usage: "plan --key-store ID|NAME [--pending-window-days 7..30] [--observe-days N] [--min-idle-days N] [--accept CODE[:KEY]]... [--guard-hours H] [--cancel-on-use] [--cloudtrail-lag MINUTES] [--connect] [--out PATH|s3://BUCKET/KEY.json] [--force] [--s3-sse aws:kms|AES256]",
        abstract: "Discover, check and write a plan file (read-only on KMS).",
        discussion: """
            Finds the store, lists and describes every key in the account to find the store's keys, gathers
            aliases, grants, tags and last usage, and reads each key's CloudTrail events over --min-idle-days
            (at most 90 days, ending --cloudtrail-lag before now; paced at LookupEvents' 2 requests/s beside the
            KMS reads): failed calls block the plan as key-use-attempted. An interrupted plan resumes its
            CloudTrail sweep: the sweep checkpoints finished keys and the NextToken of keys in progress every
            few seconds to <out>.sweep.json (mode 0600; for an s3:// --out, <store-id>.sweep.json in the
            working folder), and a plan run again (after Ctrl-C, a kill, a CI timeout) with the same store,
            endpoint, --min-idle-days and --cloudtrail-lag reads keys swept before only for the time since
            (one shared lookup); a progress file of another store or option is not used. The file is removed
            once the plan is written. It evaluates safety findings and writes
            the step graph to a plan file. Nothing in KMS is changed. Review the printed summary and the fingerprint, then approve with
            'decommission apply PLAN --approve FINGERPRINT'.
            """,
        options: [
            .value("--key-store", "ID|NAME", "The custom key store to retire, by id (cks-...) or exact name."),
            .value("--pending-window-days", "DAYS", "Waiting period for ScheduleKeyDeletion, 7 to 30.", default: "30"),
            .value("--observe-days", "DAYS", "Disable the keys and observe this long before scheduling deletion (decimals allowed).", default: "0"),
            .value("--min-idle-days", "DAYS", "A key used more recently than this blocks the plan (decimals allowed).", default: "30"),
            .value("--accept", "CODE[:KEY]", "Waive a blocking finding, for one key or for all keys.", repeatable: true),
            .value(
                "--guard-hours", "HOURS",
                "Before each DeletionDate, check CloudTrail for attempted use from this long before it (decimals allowed).", default: "24"),
            .flag("--cancel-on-use", "When a guard check sees attempted use of a pending key, cancel that key's deletion, then stop."),
            .value(
                "--cloudtrail-lag", "MINUTES", "Every CloudTrail window ends this long before now (delivery delay; 0 = none).", default: "15"),
            .flag("--connect", "Connect a disconnected CloudHSM store first, so KMS can delete the key material."),
            .value(
                "--out", "PATH", "Where to write the plan: a path, or s3://BUCKET/KEY.json (sweep progress stays local).",
                default: "plans/<store-id>.json"),
            .flag("--force", "Overwrite a plan at --out even if it has started."),
        ] + S3PlanOptions.specs,
        examples: [
            "decommission plan --key-store cks-1234567890abcdef0 --region eu-west-1",
            "decommission plan --key-store legacy-hsm --observe-days 7 --accept key-recently-used:1234abcd-12ab-34cd-56ef-1234567890ab",
        ],
        exitCodes: [
            (0, "plan written; no unwaived blocking finding"), (3, "plan written but blocked by findings (see --accept)"),
            (3, "a started plan exists at --out (use --force)"), CommonExitCodes.failed, CommonExitCodes.usage,
        ])

    var keyStore: String
    var options: PlanOptions
    var out: String?
    var force: Bool
    var s3: S3PlanOptions

    init(_ parsed: ParsedCommandLine) throws(CLIError) {
        guard let keyStore = parsed.values["--key-store"]?.last, !keyStore.isEmpty else {
            throw CLIError(code: .missingArgument, message: "Missing --key-store ID|NAME; run 'decommission list-key-stores' to see the stores.")
        }
        self.keyStore = keyStore
        self.options = PlanOptions(
            pendingWindowDays: try parsed.int("--pending-window-days", in: 7...30) ?? 30,
            observeDays: try parsed.double("--observe-days", in: 0...3650) ?? 0,
            minIdleDays: try parsed.double("--min-idle-days", in: 0...36500) ?? 30,
            connect: parsed.flag("--connect"),
            accepted: parsed.strings("--accept"),
            guardHours: try parsed.double("--guard-hours", in: 0...720) ?? PlanOptions.defaultGuardHours,
            cancelOnUse: parsed.flag("--cancel-on-use"),
            cloudTrailLagMinutes: try parsed.double("--cloudtrail-lag", in: 0...1440) ?? PlanOptions.defaultCloudTrailLagMinutes)
        self.out = parsed.values["--out"]?.last
        self.force = parsed.flag("--force")
        self.s3 = S3PlanOptions(parsed)
    }

    func run(_ context: CommandContext) async throws -> ExitCode {
        try Planner.validate(options)
        // An S3 --out and its encryption are checked before any KMS call.
        let destination = try out.map { try context.planLocation($0) }
        let encryption = try s3.encryption()
        if let s3Location = destination?.s3 { try await context.s3Storage(s3Location).checkReachable(forPlan: s3Location.description) }
        let session = try context.makeSession()
        let progress = ProgressLine(io: context.io)
        let planner = Planner(
            kms: KMSClientGateway(client: session.client), now: context.dependencies.now, makeID: { UUID().uuidString.lowercased() },
            toolVersion: HelpFormatter.version, events: { progress.update(Self.describe($0)) }, cloudTrail: await session.cloudTrailSource(),
            checkpointing: sweepCheckpointing(context, destination: destination, progress: progress))
        let plan: Plan
        do {
            plan = try await planner.makePlan(
                PlanRequest(keyStore: keyStore, options: options, region: session.region, endpoint: session.endpoint.absoluteString))
        } catch {
            progress.clear()
            throw error
        }
        progress.clear()
        let location = try destination ?? context.planLocation(PlanWriter.defaultPath(for: plan.target.keyStoreID))
        let path = location.text
        if let s3Location = location.s3 {
            try await context.s3Storage(s3Location, encryption: encryption).writeNewPlan(plan, to: path, force: force)
        } else {
            try PlanWriter().write(plan, to: path, force: force)
        }
        // The plan holds the whole sweep now; its progress file is done.
        Self.progressFile(context, destination: location, keyStoreID: plan.target.keyStoreID).remove()

        let output = context.output
        if output.format == .json {
            output.json(Result(plan: plan, path: path))
        } else {
            output.line(PlanSummaryRenderer.render(plan, now: context.dependencies.now(), color: output.useColor))
            output.line("Plan written to \(path)")
        }
        return plan.blocked ? .needsPerson : .done
    }

    /// Where the CloudTrail sweep checkpoints: beside a local plan (`<plan>.sweep.json`); for an
    /// S3 plan, in the working folder (`<store-id>.sweep.json`), so a rerun in the same folder
    /// resumes (an ephemeral runner's next job starts over).
    static func progressFile(_ context: CommandContext, destination: PlanLocation?, keyStoreID: String) -> SweepProgressFile {
        if let destination, destination.s3 == nil { return SweepProgressFile(forPlan: destination.text) }
        if destination?.s3 != nil { return SweepProgressFile(path: context.absolutePath("\(keyStoreID).sweep.json")) }
        return SweepProgressFile(forPlan: context.absolutePath(PlanWriter.defaultPath(for: keyStoreID)))
    }

    private func sweepCheckpointing(_ context: CommandContext, destination: PlanLocation?, progress: ProgressLine) -> SweepCheckpointing {
        SweepCheckpointing(
            note: { text in
                progress.clear()
                context.output.note(text)
            },
            file: { Self.progressFile(context, destination: destination, keyStoreID: $0) })
    }

    /// Describes discovery progress for the terminal line.
    static func describe(_ event: DiscoveryEvent) -> String {
        switch event.phase {
        case .resolvingStore: return "Finding the key store..."
        case .scanning:
            let total = event.total.map { "/\($0)" } ?? ""
            return "Scanning keys: \(event.scanned)\(total) described, \(event.storeKeys) in the store\(pace(event))"
        case .collectingEvidence: return "Reading evidence: \(event.evidenceCollected)/\(event.storeKeys) keys\(pace(event))"
        case .finished: return "Discovery complete."
        }
    }

    /// The rate and time left, when known: ", 1940 keys/s, about 12 s left".
    static func pace(_ event: DiscoveryEvent) -> String {
        var text = ""
        if let rate = event.keysPerSecond, rate > 0 { text += ", \(Int(rate.rounded())) keys/s" }
        if let seconds = event.estimatedSecondsRemaining, seconds >= 0 {
            text += seconds < 90 ? ", about \(Int(seconds.rounded())) s left" : ", about \(Int((seconds / 60).rounded())) min left"
        }
        return text
    }

    /// The `--output json` result of `plan`.
    struct Result: Encodable {
        struct Key: Encodable {
            var keyId: String
            var arn: String
            var state: String
            var aliases: [String]
            var grantCount: Int
            var lastUsedAt: Date?
            var deletionDate: Date?
        }
        struct FindingEntry: Encodable {
            var code: String
            var severity: String
            var keyId: String?
            var waived: Bool
            var message: String
        }
        var planFile: String
        var planId: String
        var keyStoreId: String
        var fingerprint: String
        var blocked: Bool
        var keys: [Key]
        var findings: [FindingEntry]
        var stepCount: Int
        /// The CloudTrail evidence read (window, events, or why it could not be read).
        var evidence: EvidenceSummary?
        var pointOfNoReturn: Date?
        var expectedCompletion: Date?

        init(plan: Plan, path: String) {
            let timeline = PlanTimeline.compute(plan, now: plan.createdAt)
            planFile = path
            planId = plan.planID
            keyStoreId = plan.target.keyStoreID
            fingerprint = plan.fingerprint
            blocked = plan.blocked
            keys = plan.keys.map {
                Key(
                    keyId: $0.keyID, arn: $0.arn, state: $0.state.rawValue, aliases: $0.aliases, grantCount: $0.grantCount,
                    lastUsedAt: $0.usage.lastUsedAt, deletionDate: $0.deletionDate)
            }
            findings = plan.findings.map {
                FindingEntry(code: $0.code.rawValue, severity: $0.severity.rawValue, keyId: $0.keyID, waived: $0.waived, message: $0.message)
            }
            stepCount = plan.steps.count
            evidence = plan.evidence
            pointOfNoReturn = timeline.earliestPointOfNoReturn
            expectedCompletion = timeline.expectedCompletion
        }
    }
}
