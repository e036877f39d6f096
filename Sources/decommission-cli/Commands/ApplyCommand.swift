import Decommission
import Foundation
import KMSAPI

/// `decommission apply`: run every step that is due now, checkpointing; with `--wait`, to the end.
struct ApplyCommand: Command {
    static let spec = CommandSpec(
        name: "apply", usage: "apply PLAN [--resume] [--wait] [--approve FINGERPRINT] [--dry-run]",
        abstract: "Run what is due now; checkpoint; exit (or --wait to the end).",
        discussion: """
            Runs every step of the plan that is due now, in dependency order, checkpointing into the plan file,
            then exits: 0 when the plan is complete, 75 when the next step is due later (run 'apply --resume'
            then, for example from cron). A plan that has not started needs approval: type the store id at the
            prompt, or pass --approve with the fingerprint (a prefix of at least 12 hex digits will do). A
            started plan needs --resume.
            """,
        positionals: [PositionalSpec(name: "PLAN", help: "The plan file written by 'decommission plan'.")],
        options: [
            .flag("--resume", "Continue a plan that has started (no new approval)."),
            .flag("--wait", "Sleep until the next step is due and go on until the plan completes."),
            .value("--approve", "FINGERPRINT", "Approve a fresh plan by its fingerprint (at least 12 hex digits)."),
            .flag("--dry-run", "Print what would be called now; change nothing in KMS or on disk."),
        ],
        examples: [
            "decommission apply plans/cks-1234567890abcdef0.json --approve 3f2a9c1d7b4e",
            "decommission apply plans/cks-1234567890abcdef0.json --resume   # from cron; exit 75 means 'later'",
            "decommission apply plans/cks-1234567890abcdef0.json --resume --wait",
        ],
        exitCodes: [
            (0, "the plan is complete"), (75, "waiting: nothing more is due before the printed time"),
            (3, "needs a person: approval missing or wrong, drift, lock held, blocked or cancelled plan"),
            CommonExitCodes.failed, (2, "usage error, invalid or tampered plan, or a started plan without --resume"),
            (130, "interrupted by SIGINT (143: SIGTERM); state saved, 'apply --resume' continues"),
        ])

    var planPath: String
    var resume: Bool
    var wait: Bool
    var approve: String?
    var dryRun: Bool

    init(_ parsed: ParsedCommandLine) throws(CLIError) {
        planPath = try parsed.requiredPositional(0)
        resume = parsed.flag("--resume")
        wait = parsed.flag("--wait")
        approve = parsed.values["--approve"]?.last
        dryRun = parsed.flag("--dry-run")
    }

    func run(_ context: CommandContext) async throws -> ExitCode {
        throw CLIError(code: .unknownCommand, message: "apply is not wired yet.")
    }
}
