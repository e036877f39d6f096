import Decommission
import Foundation

/// Reads plan files as the commands show them: the plan with its journal replayed (read-only).
enum PlanFiles {
    /// Returns the plan at `path` with any journal beside it replayed; writes nothing.
    /// - Throws: `DecommissionError` with `checkpoint.*` codes.
    static func readCurrent(_ path: String) throws -> Plan {
        try FileCheckpointStore(planPath: path).read()
    }
}

extension CommandContext {
    /// Makes a session for a plan: its Region and endpoint unless given on the command line or in the environment.
    func makeSession(for plan: Plan) throws -> KMSSession {
        var global = self.global
        if global.region == nil, environment["AWS_REGION"] == nil, environment["AWS_DEFAULT_REGION"] == nil {
            global.region = plan.target.region
        }
        if global.endpointURL == nil, environment["AWS_ENDPOINT_URL_KMS"] == nil, environment["AWS_ENDPOINT_URL"] == nil {
            global.endpointURL = plan.target.endpoint
        }
        return try CommandContext(output: output, global: global, dependencies: dependencies).makeSession()
    }
}

/// Formats dates for people: ISO-8601 UTC to the second.
enum DateText {
    static func format(_ date: Date?) -> String {
        guard let date else { return "-" }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}
