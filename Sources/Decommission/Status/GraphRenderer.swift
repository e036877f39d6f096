import Foundation

/// Renders a plan's step graph with each step's status, as Graphviz DOT or Mermaid (deterministic).
public enum GraphRenderer {
    /// Returns the graph in Graphviz DOT, nodes filled by status.
    public static func dot(_ plan: Plan) -> String {
        var lines = [
            "digraph \"\(escape(plan.target.keyStoreID))\" {",
            "  rankdir=TB;",
            "  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\"];",
        ]
        for step in plan.steps {
            lines.append("  \"\(step.id)\" [label=\"\(escape(label(step)))\", fillcolor=\"\(color(step.status))\"];")
        }
        for step in plan.steps {
            for dependency in step.dependsOn { lines.append("  \"\(dependency)\" -> \"\(step.id)\";") }
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    /// Returns the graph as a Mermaid flowchart, nodes styled by status class.
    public static func mermaid(_ plan: Plan) -> String {
        var lines = ["flowchart TD"]
        for step in plan.steps {
            lines.append("  \(node(step.id))[\"\(escapeMermaid(label(step)))\"]:::\(step.status.rawValue)")
        }
        for step in plan.steps {
            for dependency in step.dependsOn { lines.append("  \(node(dependency)) --> \(node(step.id))") }
        }
        for status in StepStatus.allCases {
            lines.append("  classDef \(status.rawValue) fill:\(color(status)),stroke:#333")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The fill colour of a status.
    static func color(_ status: StepStatus) -> String {
        switch status {
        case .pending: "#eeeeee"
        case .running: "#ffe08a"
        case .waiting: "#a8d8ff"
        case .done: "#9be39b"
        case .failed: "#ff8a8a"
        case .skipped: "#d0d0d0"
        case .cancelled: "#c9a0dc"
        }
    }

    private static func label(_ step: Step) -> String {
        var text = step.action.rawValue
        if let keyID = step.keyID { text += "\n\(keyID)" }
        text += "\n[\(step.status.rawValue)]"
        return text
    }

    private static func node(_ id: StepID) -> String { id.rawValue.replacingOccurrences(of: "-", with: "_") }

    private static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }

    private static func escapeMermaid(_ text: String) -> String {
        text.replacingOccurrences(of: "\"", with: "#quot;").replacingOccurrences(of: "\n", with: "<br/>")
    }
}
