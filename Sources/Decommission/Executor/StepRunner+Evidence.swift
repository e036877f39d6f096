import Foundation

extension StepRunner {
    /// The end of observation: the KMS checks (still disabled, no recorded use), then, with
    /// CloudTrail, every disabled key's events since it was disabled; attempted use is drift, so
    /// no deletion is scheduled.
    func observeWithEvidence(_ step: Step, context: StepContext) async throws -> StepRunOutcome {
        let outcome = try await observe(context)
        guard let monitor, case .succeeded(var result) = outcome else { return outcome }
        let checked = try await monitor.observe(disabledAt: context.disabledAt, keys: context.keys, lag: context.options.cloudTrailLag, stepID: step.id)
        if let drift = checked.drift[step.id], !drift.isEmpty { return .drift(drift) }
        result = result ?? StepResult()
        result?.evidence = checked.check
        result?.note = "no key re-enabled, used or attempted (CloudTrail to \(FindingsEvaluator.iso(checked.check.windowEnd)), \(checked.check.eventsRead) event(s) read)"
        return .succeeded(result)
    }
}
