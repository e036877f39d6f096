import Decommission
import Foundation
import KMSAPI
import KMSLocal

/// `decommission demo`: the whole workflow against an in-process kms-local, in under 30 seconds.
struct DemoCommand: Command {
    static let spec = CommandSpec(
        name: "demo", usage: "demo [--keep-files]",
        abstract: "Run the whole workflow against an in-process kms-local.",
        discussion: """
            Starts kms-local on a free loopback port with time compressed (a 7-day waiting period passes in
            seconds), seeds a CloudHSM key store with keys, then runs plan, accepts the flagged key, applies with
            --approve and --wait to the end, and prints the status. Every call goes over HTTP with SigV4, through
            the same code as against AWS.
            """,
        options: [.flag("--keep-files", "Keep the plan and audit files in ./plans-demo instead of a temporary folder.")],
        examples: ["decommission demo", "decommission demo --keep-files && decommission graph plans-demo/*.json"],
        exitCodes: [CommonExitCodes.done, CommonExitCodes.failed])

    var keepFiles: Bool

    init(_ parsed: ParsedCommandLine) throws(CLIError) {
        keepFiles = parsed.flag("--keep-files")
    }

    func run(_ context: CommandContext) async throws -> ExitCode {
        throw CLIError(code: .unknownCommand, message: "demo is not wired yet.")
    }
}
