import Decommission
import Foundation
import KMSAPI

/// `decommission cancel`: cancel every deletion the plan scheduled that is still in its window.
struct CancelCommand: Command {
    static let spec = CommandSpec(
        name: "cancel", usage: "cancel PLAN [--re-enable]",
        abstract: "Roll back every deletion still inside its waiting period.",
        discussion: """
            Calls CancelKeyDeletion for every key this plan scheduled that is still pending deletion and, with
            --re-enable, EnableKey for those that were Enabled when planned. Keys already pending deletion before
            the plan are left pending and reported. The plan is marked cancelled and refuses further apply.
            """,
        positionals: [PositionalSpec(name: "PLAN", help: "The plan: a file, or s3://BUCKET/KEY.json.")],
        options: [.flag("--re-enable", "Also enable the keys that were Enabled when planned.")],
        examples: ["decommission cancel plans/cks-1234567890abcdef0.json --re-enable"],
        exitCodes: [
            (0, "every key the plan scheduled was saved"), (3, "some keys could no longer be saved (reported)"),
            CommonExitCodes.failed, CommonExitCodes.usage,
        ])

    var planPath: String
    var reEnable: Bool

    init(_ parsed: ParsedCommandLine) throws(CLIError) {
        planPath = try parsed.requiredPositional(0)
        reEnable = parsed.flag("--re-enable")
    }

    func run(_ context: CommandContext) async throws -> ExitCode {
        let location = try context.planLocation(planPath)
        let path = location.text
        let storage = try context.planStorage(for: location)
        let session = try context.makeSession(for: try await storage.checkpointStore(forPlan: path).load())
        let canceller = Canceller(
            kms: KMSClientGateway(client: session.client), storage: storage, clock: context.dependencies.clock, now: context.dependencies.now)
        let report = try await canceller.cancel(planPath: path, reEnable: reEnable)
        let unsavable = report.keys.filter { $0.outcome == .unsavable }
        let output = context.output
        if output.format == .json {
            output.json(Result(planFile: path, keys: report.keys, unsavable: unsavable.count))
        } else {
            let rows = report.keys.map { [$0.keyID, $0.outcome.rawValue, $0.state ?? "deleted"] }
            output.line(TextTable.render(header: ["KEY", "OUTCOME", "STATE"], rows: rows, output: output))
            output.line("Plan \(path) is cancelled; apply will refuse it.")
            if !unsavable.isEmpty {
                output.line("\(unsavable.count) key(s) could no longer be saved: KMS already deleted them.")
            }
        }
        return unsavable.isEmpty ? .done : .needsPerson
    }

    /// The `--output json` result of `cancel`.
    struct Result: Encodable {
        var planFile: String
        var keys: [Canceller.KeyReport]
        var unsavable: Int
    }
}
