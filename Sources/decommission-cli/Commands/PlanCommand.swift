import Decommission
import Foundation
import KMSAPI

/// `decommission plan`: discover the store and its keys, check them, and write a plan file.
struct PlanCommand: Command {
    static let spec = CommandSpec(
        name: "plan",
        usage: "plan --key-store ID|NAME [--pending-window-days 7..30] [--observe-days N] [--min-idle-days N] [--accept CODE[:KEY]]... [--connect] [--out PATH] [--force]",
        abstract: "Discover, check and write a plan file (read-only on KMS).",
        discussion: """
            Finds the store, lists and describes every key in the account to find the store's keys, gathers
            aliases, grants, tags and last usage, evaluates safety findings and writes the step graph to a plan
            file. Nothing in KMS is changed. Review the printed summary and the fingerprint, then approve with
            'decommission apply PLAN --approve FINGERPRINT'.
            """,
        options: [
            .value("--key-store", "ID|NAME", "The custom key store to retire, by id (cks-...) or exact name."),
            .value("--pending-window-days", "DAYS", "Waiting period for ScheduleKeyDeletion, 7 to 30.", default: "30"),
            .value("--observe-days", "DAYS", "Disable the keys and observe this long before scheduling deletion (decimals allowed).", default: "0"),
            .value("--min-idle-days", "DAYS", "A key used more recently than this blocks the plan (decimals allowed).", default: "30"),
            .value("--accept", "CODE[:KEY]", "Waive a blocking finding, for one key or for all keys.", repeatable: true),
            .flag("--connect", "Connect a disconnected CloudHSM store first, so KMS can delete the key material."),
            .value("--out", "PATH", "Where to write the plan.", default: "plans/<store-id>.json"),
            .flag("--force", "Overwrite a plan at --out even if it has started."),
        ],
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
            accepted: parsed.strings("--accept"))
        self.out = parsed.values["--out"]?.last
        self.force = parsed.flag("--force")
    }

    func run(_ context: CommandContext) async throws -> ExitCode {
        throw CLIError(code: .unknownCommand, message: "plan is not wired yet.")
    }
}
