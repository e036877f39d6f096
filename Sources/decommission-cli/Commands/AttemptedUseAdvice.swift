import Decommission
import Foundation

/// What the operator does next when CloudTrail caught an attempted use: the exact commands.
enum AttemptedUseAdvice {
    static func lines(_ drift: [DriftItem], plan: Plan, path: String) -> [String] {
        let caught = drift.filter { $0.kind == .keyUseAttempted }
        guard !caught.isEmpty else { return [] }
        let keys = caught.compactMap(\.keyID).joined(separator: ", ")
        let scheduled = Set(plan.steps.filter { $0.action == .scheduleDeletion && $0.status == .done }.compactMap(\.keyID))
        if caught.allSatisfy({ scheduled.contains($0.keyID ?? "") }) {
            return [
                "Attempted use of key(s) pending deletion: \(keys). Nothing was deleted yet.",
                "Find and fix the caller named above, then cancel the deletions: decommission cancel \(path)",
                "  (or keep them usable again: decommission cancel \(path) --re-enable)",
            ]
        }
        return [
            "Attempted use of disabled key(s): \(keys). No deletion was scheduled.",
            "Roll back so the caller named above works again: decommission cancel \(path) --re-enable",
        ]
    }
}
