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
