import Decommission
import Foundation
import KMSAPI

/// `decommission apply`: run every step that is due now, checkpointing; with `--wait`, to the end.
struct ApplyCommand: Command {
    static let spec = CommandSpec(
        name: "apply", usage: "apply PLAN|s3://BUCKET/KEY.json [--resume] [--wait] [--approve FINGERPRINT] [--dry-run] [--lock-lease SECONDS] [--s3-sse aws:kms|AES256]",
        abstract: "Run what is due now; checkpoint; exit (or --wait to the end).",
        discussion: """
            Runs every step of the plan that is due now, in dependency order, checkpointing into the plan file,
            then exits: 0 when the plan is complete, 75 when the next step is due later (run 'apply --resume'
            then, for example from cron). Anything due within two minutes, such as a store finishing its
            connect or disconnect, is waited for in the same run. A plan that has not started needs approval: type the store id at the
            prompt, or pass --approve with the fingerprint (a prefix of at least 12 hex digits will do). A
            started plan needs --resume.

            With CloudTrail (cloudtrail:LookupEvents), every resume during the observation and the end of it read
            each disabled key's events since it was disabled, and every resume inside a guard span (--guard-hours
            before a DeletionDate, plan option) reads each pending key's events since it was scheduled; --wait
            checks once more shortly before each DeletionDate. Windows end --cloudtrail-lag before now. An attempted
            use stops the run (exit 3) naming principal, operation, count, last time and source, with the cancel
            command; with --cancel-on-use the guard cancels those keys' deletions itself (audited). Exit 75's time
            includes guard checks.
            """,
        positionals: [PositionalSpec(name: "PLAN", help: "The plan written by 'decommission plan': a file, or s3://BUCKET/KEY.json.")],
        options: [
            .flag("--resume", "Continue a plan that has started (no new approval)."),
            .flag("--wait", "Sleep until the next step is due and go on until the plan completes."),
            .value("--approve", "FINGERPRINT", "Approve a fresh plan by its fingerprint (at least 12 hex digits)."),
            .flag("--dry-run", "Print what would be called now; change nothing in KMS or on disk."),
            .value("--lock-lease", "SECONDS", "Lease of an s3:// plan's lock, renewed while the run lives; a runner that died frees the plan after it.", default: "300"),
        ] + S3PlanOptions.specs,
        examples: [
            "decommission apply plans/cks-1234567890abcdef0.json --approve 3f2a9c1d7b4e",
            "decommission apply plans/cks-1234567890abcdef0.json --resume   # from cron; exit 75 means 'later'",
            "decommission apply plans/cks-1234567890abcdef0.json --resume --wait",
            "decommission apply s3://ops-decommission/prod/cks-1234567890abcdef0.json --resume --s3-sse aws:kms",
        ],
        exitCodes: [
            (0, "the plan is complete"), (75, "waiting: nothing more is due before the printed time"),
            (3, "needs a person: approval missing or wrong, drift or attempted use seen in CloudTrail, lock held, blocked or cancelled plan"),
            CommonExitCodes.failed, (2, "usage error, invalid or tampered plan, or a started plan without --resume"),
            (130, "interrupted by SIGINT (143: SIGTERM); state saved, 'apply --resume' continues"),
        ])

    var planPath: String
    var resume: Bool
    var wait: Bool
    var approve: String?
    var dryRun: Bool
    var lockLease: Int
    var s3: S3PlanOptions

    init(_ parsed: ParsedCommandLine) throws(CLIError) {
        planPath = try parsed.requiredPositional(0)
        resume = parsed.flag("--resume")
        wait = parsed.flag("--wait")
        approve = parsed.values["--approve"]?.last
        dryRun = parsed.flag("--dry-run")
        lockLease = try parsed.int("--lock-lease", in: 1...86_400) ?? Int(S3LockSettings.defaultLease.components.seconds)
        s3 = S3PlanOptions(parsed)
    }

    func run(_ context: CommandContext) async throws -> ExitCode {
        let location = try context.planLocation(planPath)
        let path = location.text
        let storage = try context.planStorage(for: location, encryption: try s3.encryption(), lease: .seconds(lockLease))
        let plan = try await storage.checkpointStore(forPlan: path).load()
        let session = try context.makeSession(for: plan)
        let output = context.output
        let options = ApplyOptions(resume: resume, wait: wait, approveFingerprint: approve)
        let progress = ProgressLine(io: context.io)
        let showProgress = wait && progress.isEnabled
        let applier = Applier(
            kms: KMSClientGateway(client: session.client), storage: storage, clock: context.dependencies.clock, now: context.dependencies.now,
            events: { event in Self.show(event, output: output, progress: showProgress ? progress : nil) },
            approver: approve == nil && context.io.isStdinTTY ? Self.prompt(context.io) : nil,
            approvedBy: context.dependencies.userName, cloudTrail: await session.cloudTrailSource())

        if dryRun {
            let report = try await applier.dryRun(planPath: path, options: options)
            if output.format == .json {
                output.json(DryRunResult(planFile: path, report: report))
            } else {
                DryRunText.show(report, output: output)
            }
            return .done
        }

        let report: ApplyReport
        do {
            report = try await applier.apply(planPath: path, options: options)
        } catch let error as KMSError where error.requiresSignIn {
            // The executor saved the plan first; say so, since the error itself is about credentials.
            progress.clear()
            output.note("Progress is saved; after signing in, run 'decommission apply \(path) --resume' to continue.")
            throw error
        }
        progress.clear()
        return Self.finish(report, path: path, output: output, now: context.dependencies.now())
    }

    /// Prints the run's result and returns its exit status.
    static func finish(_ report: ApplyReport, path: String, output: Output, now: Date) -> ExitCode {
        let status = PlanStatusReport.make(report.plan, now: now)
        if output.format == .json {
            output.json(Result(report: report, path: path, status: status))
        }
        switch report.outcome {
        case .done:
            output.line(output.styled("Plan complete: store \(report.plan.target.keyStoreID) is deleted.", .green))
            return .done
        case .waiting(let next):
            output.line("Waiting: nothing more is due before \(DateText.format(next)); run 'decommission apply \(path) --resume' then.")
            return .waiting
        case .blocked(let drift):
            output.line(output.styled("Stopped: live state differs from the plan; nothing more was changed.", .red))
            for item in drift { output.line("  - \(item)") }
            for line in AttemptedUseAdvice.lines(drift, plan: report.plan, path: path) { output.line(line) }
            return .needsPerson
        case .failed(let steps):
            output.line(output.styled("Failed steps: \(steps.map(\.rawValue).joined(separator: ", ")); 'apply --resume' retries them.", .red))
            return .failed
        case .interrupted:
            output.line("Interrupted; state was saved. Run 'decommission apply \(path) --resume' to continue.")
            return .interrupted
        }
    }

    /// Shows one execution event: step lines on stdout (text mode), the moving progress line on stderr.
    static func show(_ event: ExecutionEvent, output: Output, progress: ProgressLine?) {
        switch event {
        case .stepStarted:
            break
        case .stepFinished(let id, let status, let note):
            progress?.clear()
            let mark = status == .failed ? output.styled("✗", .red) : status == .done ? output.styled("✓", .green) : "…"
            output.line("\(mark) \(id) \(status.rawValue)\(note.map { ": \($0)" } ?? "")")
        case .reconciled(let id, let note):
            progress?.clear()
            output.line("↺ \(id) reconciled: \(note)")
        case .progress(let phase, let done, let total, let next, _):
            progress?.update("\(phase): \(done)/\(total) steps\(next.map { ", next at \(DateText.format($0))" } ?? "")")
        case .sleeping(let until):
            progress?.update("waiting until \(DateText.format(until))...")
        case .warning(let id, let message):
            progress?.clear()
            output.note("warning: \(id.map { "\($0): " } ?? "")\(message)")
        case .evidenceChecked(let kind, let check):
            progress?.clear()
            output.line(
                "✓ CloudTrail \(kind): \(check.keysRead) key(s), \(check.eventsRead) event(s) read up to \(DateText.format(check.windowEnd)); no attempted use")
        case .drift(let items):
            progress?.clear()
            output.note("drift: \(items.map(\.description).joined(separator: "; "))")
        }
    }

    /// Asks at the terminal for the store id, the prompt approval of a fresh plan.
    static func prompt(_ io: CLIIO) -> @Sendable (Plan) async -> String? {
        { plan in
            io.writeStderr(
                "This plan schedules deletion of \(plan.keys.count) key(s) and deletes store \(plan.target.keyStoreID).\n"
                    + "Fingerprint \(plan.fingerprint)\nType the store id to approve: ")
            return io.readLine()
        }
    }

    /// The `--output json` result of `apply`.
    struct Result: Encodable {
        var planFile: String
        var status: String
        var nextActionAt: Date?
        var stepsRun: Int
        var pointOfNoReturn: Date?
        var expectedCompletion: Date?
        var failedSteps: [String]
        var drift: [DriftItem]
        /// Bytes this run wrote to the plan file and its journal (checkpointing cost; see BENCHMARKS.md).
        var checkpointBytesWritten: Int

        init(report: ApplyReport, path: String, status plan: PlanStatusReport) {
            planFile = path
            status = report.outcome.statusName
            nextActionAt = report.nextActionAt
            stepsRun = report.stepsRun
            checkpointBytesWritten = report.checkpointBytesWritten
            pointOfNoReturn = plan.pointOfNoReturn
            expectedCompletion = plan.expectedCompletion
            switch report.outcome {
            case .failed(let steps): failedSteps = steps.map(\.rawValue)
            default: failedSteps = []
            }
            switch report.outcome {
            case .blocked(let items): drift = items
            default: drift = []
            }
        }
    }

    /// The `--output json` result of `apply --dry-run` (every call, however many keys).
    struct DryRunResult: Encodable {
        var planFile: String
        var dryRun = true
        /// The calls assume every read answers what the plan expects.
        var assumesPlannedState = true
        var calls: [PlannedCall]
        var nextWaitAt: Date?
        var pointOfNoReturn: Date?
        var expectedCompletion: Date?

        init(planFile: String, report: DryRunReport) {
            self.planFile = planFile
            calls = report.calls
            nextWaitAt = report.nextWaitAt
            pointOfNoReturn = report.timeline.earliestPointOfNoReturn
            expectedCompletion = report.timeline.expectedCompletion
        }
    }
}
