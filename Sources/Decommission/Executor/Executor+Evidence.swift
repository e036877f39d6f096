import Foundation
import KMSAPI

extension Executor {
    /// Runs the CloudTrail checks due now: the observation (once per run while it lasts) and each
    /// guard group inside its span (once per run, and again at its final check). Attempted use
    /// becomes drift on the steps it stops; a check that cannot read CloudTrail is a warning.
    func runEvidenceChecks(_ monitor: EvidenceMonitor) async throws {
        guard !state.isStopping, state.plan.cancellation == nil else { return }
        let at = monitor.now()
        if !observationCheckedThisRun, let observe = state.plan.steps.first(where: { $0.action == .observe }),
            !observe.status.isFinished, let end = observe.notBefore, end > at
        {
            observationCheckedThisRun = true
            var resume: [String: (StepID, EvidenceCheck?)] = [:]
            for step in state.plan.steps where step.action == .disableKey && step.status == .done {
                if let keyID = step.keyID { resume[keyID] = (step.id, step.result?.evidence) }
            }
            let plan = state.plan
            try await check("observation") {
                try await monitor.observe(
                    disabledAt: EvidenceMonitor.observationKeys(plan), keys: plan.keys, lag: plan.options.cloudTrailLag,
                    stepID: observe.id, resumeFrom: resume, record: { step, check in try await self.recordKeyCheck(step, check) })
            } passed: { [observe.id] }
        }
        let schedule = EvidenceMonitor.guardSchedule(state.plan, now: at)
        for group in schedule.groups where !state.isStopping {
            guard EvidenceMonitor.isDue(group, checkedThisRun: guardChecksThisRun[group.deletionDate], now: at) else { continue }
            guardChecksThisRun[group.deletionDate] = at
            let plan = state.plan
            try await check("guard for DeletionDate \(FindingsEvaluator.iso(group.deletionDate))") {
                try await monitor.guardGroup(group, plan: plan, record: { step, check in try await self.recordKeyCheck(step, check) })
            } passed: {
                []  // each key's check was recorded on its await step as it finished
            }
        }
    }

    /// Checkpoints one key's finished sweep on the step that keeps it (journaled at once, so an
    /// interrupted sweep resumes from it).
    func recordKeyCheck(_ step: StepID, _ check: EvidenceCheck) async throws {
        try await perform(state.stepChecked([step], evidence: check))
    }

    /// Runs one check and applies its outcome; only a failure to checkpoint is thrown.
    private func check(_ kind: String, _ run: () async throws -> EvidenceMonitor.Outcome, passed: () -> [StepID]) async throws {
        let outcome: EvidenceMonitor.Outcome
        do {
            outcome = try await run()
        } catch is CancellationError {
            return
        } catch let error as KMSError where error.requiresSignIn {
            // A person must sign in again: not a blind spot to warn about, a stop (the executor's rule).
            throw error
        } catch {
            events(.warning(nil, message: "\(kind): CloudTrail could not be read (\(EvidenceSweeper.reason(error))); attempted use is not seen."))
            return
        }
        if outcome.drift.isEmpty {
            try await perform(state.stepChecked(passed(), evidence: outcome.check))
            events(.evidenceChecked(kind: kind, check: outcome.check))
            return
        }
        for keyID in outcome.cancelledKeys {
            events(.warning(nil, message: "--cancel-on-use: CancelKeyDeletion called for key \(keyID); it is Disabled, not deleted."))
        }
        for (stepID, items) in outcome.drift.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            events(.drift(items))
            try await perform(state.stepFoundDrift(stepID, items: items))
        }
    }
}
