import Foundation
import KMSAPI

/// Names the files kept beside a plan.
enum SiblingFile {
    static func path(forPlan planPath: String, suffix: String) -> String {
        let base = planPath.hasSuffix(".json") ? String(planPath.dropLast(5)) : planPath
        return base + suffix
    }
}
