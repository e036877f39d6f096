import Decommission
import Foundation

/// `decommission graph`: the step graph with each step's status, as Graphviz DOT or Mermaid.
struct GraphCommand: Command {
    /// The graph notations `--format` accepts.
    enum Format: String, CaseIterable, Sendable {
        case dot, mermaid
    }

    static let spec = CommandSpec(
        name: "graph", usage: "graph PLAN [--format dot|mermaid]",
        abstract: "Print the step graph with each step's status (Graphviz DOT or Mermaid).",
        positionals: [PositionalSpec(name: "PLAN", help: "The plan: a file, or s3://BUCKET/KEY.json.")],
        options: [.value("--format", "dot|mermaid", "The graph notation.", default: "dot")],
        examples: ["decommission graph plans/cks-1234567890abcdef0.json | dot -Tsvg > plan.svg"],
        exitCodes: [CommonExitCodes.done, CommonExitCodes.usage])

    var planPath: String
    var format: Format

    init(_ parsed: ParsedCommandLine) throws(CLIError) {
        planPath = try parsed.requiredPositional(0)
        format = try parsed.choice("--format", as: Format.self) ?? .dot
    }

    func run(_ context: CommandContext) async throws -> ExitCode {
        let plan = try await context.readCurrentPlan(try context.planLocation(planPath))
        let text = format == .dot ? GraphRenderer.dot(plan) : GraphRenderer.mermaid(plan)
        if context.output.format == .json {
            context.output.json(["format": format.rawValue, "graph": text])
        } else {
            context.io.writeStdout(text)
        }
        return .done
    }
}
