import Decommission
import Foundation
import KMSAPI

/// `decommission status`: progress of one plan, or one line per plan in a folder.
struct StatusCommand: Command {
    static let spec = CommandSpec(
        name: "status", usage: "status PLAN|DIR|s3://BUCKET/PREFIX/ [--refresh]",
        abstract: "Show progress, the next action time and the point of no return.",
        discussion: """
            For a plan file: the phase, each step's state, the next due time, the point of no return (the
            earliest DeletionDate still in the future), the expected completion, failed steps and a check of
            the audit log's hash chain. For a folder or an S3 prefix: one line per plan. Reads only the plan's
            storage (files, or the S3 objects) unless --refresh.
            """,
        positionals: [PositionalSpec(name: "PLAN|DIR", help: "A plan (file or s3://BUCKET/KEY.json), a folder of plans, or s3://BUCKET/PREFIX/.")],
        options: [.flag("--refresh", "Also read live key and store state from KMS.")],
        examples: [
            "decommission status plans/cks-1234567890abcdef0.json", "decommission status plans/ --output json",
            "decommission status s3://ops-decommission/prod/",
        ],
        exitCodes: [CommonExitCodes.done, CommonExitCodes.failed, CommonExitCodes.usage])

    var path: String
    var refresh: Bool

    init(_ parsed: ParsedCommandLine) throws(CLIError) {
        path = try parsed.requiredPositional(0)
        refresh = parsed.flag("--refresh")
    }

    func run(_ context: CommandContext) async throws -> ExitCode {
        let location = try context.planLocation(path, allowingPrefix: true)
        if let s3 = location.s3, s3.kind == .prefix {
            let storage = try context.s3Storage(s3)
            let plans = try await storage.planKeys(under: s3.key).map { s3.replacingKey(with: $0).description }
            return try await summarize(plans, in: location.text, read: { try await storage.checkpointStore(forPlan: $0).load() }, context)
        }
        let target = location.text
        var isDirectory: ObjCBool = false
        if location.s3 == nil, FileManager.default.fileExists(atPath: target, isDirectory: &isDirectory), isDirectory.boolValue {
            let names = try FileManager.default.contentsOfDirectory(atPath: target).filter { $0.hasSuffix(".json") }.sorted()
            let plans = names.map { (target as NSString).appendingPathComponent($0) }
            return try await summarize(plans, in: target, read: { try PlanFiles.readCurrent($0) }, context)
        }
        return try await show(location, context)
    }

    private func show(_ location: PlanLocation, _ context: CommandContext) async throws -> ExitCode {
        let planPath = location.text
        let plan = try await context.readCurrentPlan(location)
        let now = context.dependencies.now()
        let report = PlanStatusReport.make(plan, now: now)
        let audit = try await context.verifyAudit(location)
        var live: [String: String] = [:]
        if refresh {
            let gateway = KMSClientGateway(client: try context.makeSession(for: plan).client)
            for key in plan.keys {
                live[key.keyID] = try await gateway.describeKeyIfPresent(key.keyID).map { $0.keyState?.rawValue ?? "unknown" } ?? "deleted"
            }
        }
        let output = context.output
        if output.format == .json {
            output.json(Result(planFile: planPath, plan: plan, report: report, audit: audit, live: refresh ? live : nil))
            return .done
        }
        output.line("Plan \(planPath)")
        output.line("  store               \(plan.target.keyStoreID) (\(plan.target.keyStoreType))")
        output.line("  phase               \(output.styled(report.phase.rawValue, .bold))  (\(report.counts.finished)/\(report.counts.total) steps finished)")
        output.line("  next action         \(DateText.format(report.nextActionAt))")
        output.line("  point of no return  \(DateText.format(report.pointOfNoReturn))")
        output.line("  expected completion \(DateText.format(report.expectedCompletion))")
        switch audit {
        case .ok(let count): output.line("  audit log           \(count) record(s), hash chain intact")
        case .broken(let line, let reason): output.line(output.styled("  audit log           chain broken at line \(line): \(reason)", .red))
        }
        for line in Self.evidenceLines(report) { output.line(line) }
        output.line("")
        let rows = report.steps.map { step -> [String] in
            var row = [step.id.rawValue, step.status.rawValue, DateText.format(step.deletionDate ?? step.notBefore)]
            if refresh { row.append(step.keyID.flatMap { live[$0] } ?? "") }
            return row
        }
        output.line(TextTable.render(header: ["STEP", "STATUS", "DUE/DELETION"] + (refresh ? ["LIVE"] : []), rows: rows, output: output))
        for step in report.failedSteps {
            output.line(output.styled("failed: \(step.id): \(step.error.map { "\($0.message) (\($0.code))" } ?? "no detail")", .red))
        }
        if case .broken = audit { return .usage }
        return .done
    }

    /// One line per plan of a folder or an S3 prefix; a plan that cannot be read gets its error.
    private func summarize(
        _ paths: [String], in directory: String, read: (String) async throws -> Plan, _ context: CommandContext
    ) async throws -> ExitCode {
        let now = context.dependencies.now()
        var entries: [DirectoryEntry] = []
        for path in paths {
            do {
                let report = PlanStatusReport.make(try await read(path), now: now)
                entries.append(DirectoryEntry(planFile: path, keyStoreId: report.keyStoreID, phase: report.phase.rawValue,
                    finished: report.counts.finished, total: report.counts.total, nextActionAt: report.nextActionAt,
                    pointOfNoReturn: report.pointOfNoReturn, error: nil))
            } catch {
                let info = Output.classify(error)
                entries.append(DirectoryEntry(planFile: path, keyStoreId: nil, phase: nil, finished: 0, total: 0,
                    nextActionAt: nil, pointOfNoReturn: nil, error: "\(info.message) (\(info.code))"))
            }
        }
        let output = context.output
        if output.format == .json {
            output.json(["plans": entries])
            return .done
        }
        if entries.isEmpty {
            output.line("No plans in \(directory).")
            return .done
        }
        let rows = entries.map { entry in
            [(entry.planFile as NSString).lastPathComponent, entry.keyStoreId ?? "-", entry.phase ?? "unreadable",
             entry.error == nil ? "\(entry.finished)/\(entry.total)" : "-", DateText.format(entry.nextActionAt),
             entry.error ?? DateText.format(entry.pointOfNoReturn)]
        }
        output.line(TextTable.render(header: ["PLAN", "STORE", "PHASE", "STEPS", "NEXT ACTION", "POINT OF NO RETURN"], rows: rows, output: output))
        return .done
    }

    /// The `--output json` result of `status PLAN`.
    /// The CloudTrail lines of `status`: what plan time read, the observation's last check, each guard.
    static func evidenceLines(_ report: PlanStatusReport) -> [String] {
        var lines: [String] = []
        if let evidence = report.evidence {
            if let reason = evidence.unavailableReason {
                lines.append("  cloudtrail (plan)   unavailable: \(reason)")
            } else {
                let limit = evidence.limitedByRetention ? " (limited to CloudTrail's 90 days)" : ""
                lines.append(
                    "  cloudtrail (plan)   \(evidence.eventsRead) event(s) of \(evidence.keysRead) key(s), \(DateText.format(evidence.windowStart)) to \(DateText.format(evidence.windowEnd))\(limit)")
            }
        }
        if let check = report.observationCheck {
            lines.append(
                "  observation check   \(DateText.format(check.checkedAt)): \(check.eventsRead) event(s), up to \(DateText.format(check.windowEnd)), \(check.attempts) attempt(s)")
        }
        for line in report.guards ?? [] {
            let last = line.lastCheckedAt.map { ", last checked \(DateText.format($0))" } ?? ""
            lines.append(
                "  guard               \(line.status) for DeletionDate \(DateText.format(line.deletionDate)) (\(line.keyIDs.count) key(s), due \(DateText.format(line.dueAt))\(last))")
        }
        return lines
    }

    struct Result: Encodable {
        var planFile: String
        var planId: String
        var keyStoreId: String
        var fingerprint: String
        var phase: String
        /// Whether the plan has started (`apply` then needs `--resume`): the tool's one rule, for scripts.
        var hasStarted: Bool
        var nextActionAt: Date?
        var pointOfNoReturn: Date?
        var expectedCompletion: Date?
        var counts: PlanStatusReport.Counts
        var steps: [PlanStatusReport.StepLine]
        var failedSteps: [PlanStatusReport.StepLine]
        var auditChainIntact: Bool
        var auditRecords: Int
        var liveKeyStates: [String: String]?
        /// CloudTrail: the plan-time evidence, the observation's last check, each guard (absent without CloudTrail).
        var evidence: EvidenceSummary?
        var observationCheck: EvidenceCheck?
        var guards: [GuardLine]?

        init(planFile: String, plan: Plan, report: PlanStatusReport, audit: AuditVerification, live: [String: String]?) {
            self.planFile = planFile
            planId = report.planID
            keyStoreId = report.keyStoreID
            fingerprint = report.fingerprint
            phase = report.phase.rawValue
            hasStarted = plan.hasStarted
            nextActionAt = report.nextActionAt
            evidence = report.evidence
            observationCheck = report.observationCheck
            guards = report.guards
            pointOfNoReturn = report.pointOfNoReturn
            expectedCompletion = report.expectedCompletion
            counts = report.counts
            steps = report.steps
            failedSteps = report.failedSteps
            switch audit {
            case .ok(let count): (auditChainIntact, auditRecords) = (true, count)
            case .broken(let line, _): (auditChainIntact, auditRecords) = (false, line - 1)
            }
            liveKeyStates = live
        }
    }

    /// One plan of `status DIR`.
    struct DirectoryEntry: Encodable {
        var planFile: String
        var keyStoreId: String?
        var phase: String?
        var finished: Int
        var total: Int
        var nextActionAt: Date?
        var pointOfNoReturn: Date?
        var error: String?
    }
}
