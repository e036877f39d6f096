import Decommission
import Foundation

/// The text of `apply --dry-run`: every call for up to `listLimit` keys; beyond that, store calls
/// one by one and key calls as a count per operation with the first few keys.
enum DryRunText {
    /// The most keys whose calls are listed one by one.
    static let listLimit = 20
    /// How many keys are named for an operation beyond the limit.
    static let firstKeys = 5

    static func show(_ report: DryRunReport, output: Output) {
        let calls = report.calls
        if calls.isEmpty {
            output.line("Nothing is due now; nothing would be called.")
        } else {
            output.line("Would call now (dry run; nothing is changed or written; each read is assumed to answer what the plan expects):")
            let keys = Set(calls.compactMap(\.keyID))
            if keys.count <= listLimit {
                for call in calls { output.line(line(call)) }
            } else {
                summarize(calls, output: output)
            }
        }
        if let next = report.nextWaitAt {
            output.line("Then waits until \(DateText.format(next)).")
        }
        output.line("Point of no return \(DateText.format(report.timeline.earliestPointOfNoReturn)); expected completion \(DateText.format(report.timeline.expectedCompletion)).")
    }

    private static func line(_ call: PlannedCall) -> String {
        "  \(call.operation) \(call.keyID ?? call.keyStoreID)  [\(call.stepID)]\(call.changesKMS ? "  changes KMS" : "")"
    }

    /// Store calls in order; each key operation once, where its first call falls, with a count.
    private static func summarize(_ calls: [PlannedCall], output: Output) {
        var byOperation: [String: [PlannedCall]] = [:]
        for call in calls where call.keyID != nil { byOperation[call.operation, default: []].append(call) }
        var shown: Set<String> = []
        for call in calls {
            guard call.keyID != nil else {
                output.line(line(call))
                continue
            }
            guard shown.insert(call.operation).inserted, let group = byOperation[call.operation] else { continue }
            let first = group.prefix(firstKeys).compactMap(\.keyID).joined(separator: ", ")
            output.line(
                "  \(call.operation) × \(group.count) keys\(call.changesKMS ? "  changes KMS" : ""), first: \(first)\(group.count > firstKeys ? ", ..." : "")")
        }
    }
}
