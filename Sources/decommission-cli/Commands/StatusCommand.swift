import Decommission
import Foundation
import KMSAPI

/// `decommission status`: progress of one plan, or one line per plan in a folder.
struct StatusCommand: Command {
    static let spec = CommandSpec(
        name: "status", usage: "status PLAN|DIR [--refresh]",
        abstract: "Show progress, the next action time and the point of no return.",
        discussion: """
            For a plan file: the phase, each step's state, the next due time, the point of no return (the
            earliest DeletionDate still in the future), the expected completion, failed steps and a check of
            the audit log's hash chain. For a folder: one line per plan. Reads only local files unless --refresh.
            """,
        positionals: [PositionalSpec(name: "PLAN|DIR", help: "A plan file, or a folder of plan files.")],
        options: [.flag("--refresh", "Also read live key and store state from KMS.")],
        examples: ["decommission status plans/cks-1234567890abcdef0.json", "decommission status plans/ --output json"],
        exitCodes: [CommonExitCodes.done, CommonExitCodes.failed, CommonExitCodes.usage])

    var path: String
    var refresh: Bool

    init(_ parsed: ParsedCommandLine) throws(CLIError) {
        path = try parsed.requiredPositional(0)
        refresh = parsed.flag("--refresh")
    }

    func run(_ context: CommandContext) async throws -> ExitCode {
        throw CLIError(code: .unknownCommand, message: "status is not wired yet.")
    }
}
