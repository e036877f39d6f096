import Foundation
import KMSAPI

/// The scream test while applying: reads CloudTrail for attempted use of the plan's keys during
/// observation (since each was disabled) and inside each guard span (since each was scheduled).
///
/// Pure decisions (`guardSchedule`, `observationKeys`) plus the sweeps; the executor applies the
/// outcome to its state. An attempted use becomes `key-use-attempted` drift on the step it stops.
struct EvidenceMonitor: Sendable {
    let source: CloudTrailEvidenceSource
    let kms: any KMSGateway
    let audit: (any AuditTrail)?
    let now: @Sendable () -> Date

    /// What one check found.
    struct Outcome: Sendable {
        var check: EvidenceCheck
        /// Drift per step it stops (empty when the check passed).
        var drift: [StepID: [DriftItem]]
        /// Keys whose deletion `--cancel-on-use` cancelled.
        var cancelledKeys: [String] = []
    }

    /// Seconds before a DeletionDate the last check of a waiting run leaves, beyond reading time.
    static let finalCheckMargin: TimeInterval = 60

    // MARK: - Decisions

    /// The guard of each DeletionDate of keys this plan scheduled (or found pending) and not yet deleted.
    static func guardSchedule(_ plan: Plan, now: Date) -> GuardSchedule {
        var deletions: [String: Date] = [:]
        var checks: [GuardCheck] = []
        let known = Dictionary(plan.keys.compactMap { key in key.deletionDate.map { (key.keyID, $0) } }, uniquingKeysWith: { a, _ in a })
        var scheduled: [String: Date] = [:]
        for step in plan.steps where step.action == .scheduleDeletion && step.status == .done {
            if let keyID = step.keyID, let date = step.result?.deletionDate { scheduled[keyID] = date }
        }
        var keyChecks: [Date: [Date?]] = [:]
        for step in plan.steps where step.action == .awaitDeletion && !step.status.isFinished {
            guard let keyID = step.keyID, let date = scheduled[keyID] ?? step.result?.deletionDate ?? known[keyID] else { continue }
            deletions[keyID] = date
            keyChecks[date, default: []].append(step.result?.evidence?.checkedAt)
        }
        // A group is checked when every key of it is (each key's check is journaled as it finishes).
        for (date, times) in keyChecks {
            let known = times.compactMap { $0 }
            if known.count == times.count, let oldest = known.min() { checks.append(GuardCheck(deletionDate: date, checkedAt: oldest)) }
        }
        return GuardSchedule.make(
            deletions: deletions, guardHours: plan.options.effectiveGuardHours,
            finalCheckLead: GuardSchedule.finalCheckLead(keys: deletions.count, margin: finalCheckMargin + plan.options.cloudTrailLag),
            checks: checks, now: now)
    }

    /// Whether a guard group is due in this run: inside its span and not checked by this run yet,
    /// or its last check (`finalCheckAt`) has come and this run has not made it.
    static func isDue(_ group: GuardSchedule.Group, checkedThisRun: Date?, now: Date) -> Bool {
        guard group.isInSpan else { return false }
        guard let checkedThisRun else { return true }
        return now >= group.finalCheckAt && checkedThisRun < group.finalCheckAt
    }

    /// When each key to observe was disabled (observation's window starts there).
    static func observationKeys(_ plan: Plan) -> [String: Date] {
        guard let observe = plan.steps.first(where: { $0.action == .observe }) else { return [:] }
        return StepContext.make(plan: plan, for: observe).disabledAt
    }

    // MARK: - Checks

    /// A key's finished sweep, to checkpoint: the step that keeps it and the check.
    typealias KeyCheckRecorder = @Sendable (StepID, EvidenceCheck) async throws -> Void

    /// Reads each disabled key's events since it was disabled, or since the end of its last
    /// checkpointed check (`resumeFrom`: per key, the step keeping it and that check).
    func observe(
        disabledAt keys: [String: Date], keys planned: [PlannedKey], lag: TimeInterval, stepID: StepID,
        resumeFrom: [String: (StepID, EvidenceCheck?)] = [:], record: KeyCheckRecorder? = nil
    ) async throws -> Outcome {
        let arns = Dictionary(planned.map { ($0.keyID, $0.arn) }, uniquingKeysWith: { a, _ in a })
        let items = keys.sorted { $0.key < $1.key }.map { key, disabled in
            (keyID: key, arn: arns[key] ?? "", since: max(disabled, resumeFrom[key]?.1?.windowEnd ?? disabled), step: resumeFrom[key]?.0)
        }
        let (check, attempts) = try await sweep(items, lag: lag, record: record)
        let drift = attempts.map { Self.driftItem($0.key, since: keys[$0.key] ?? now(), $0.value, phase: "disabled") }
        return Outcome(check: check, drift: drift.isEmpty ? [:] : [stepID: drift.sorted { ($0.keyID ?? "") < ($1.keyID ?? "") }])
    }

    /// Reads a guard group's keys' events since each was scheduled; with `--cancel-on-use`,
    /// cancels the deletion of the keys with attempted use (audited), and only those.
    func guardGroup(_ group: GuardSchedule.Group, plan: Plan, record: KeyCheckRecorder? = nil) async throws -> Outcome {
        var since: [String: Date] = [:]
        var awaitSteps: [String: StepID] = [:]
        for step in plan.steps {
            guard let keyID = step.keyID, group.keyIDs.contains(keyID) else { continue }
            if step.action == .scheduleDeletion, let date = step.finishedAt { since[keyID] = date }
            if step.action == .awaitDeletion { awaitSteps[keyID] = step.id }
        }
        let arns = Dictionary(plan.keys.map { ($0.keyID, $0.arn) }, uniquingKeysWith: { a, _ in a })
        var previous: [String: Date] = [:]
        for step in plan.steps where step.action == .awaitDeletion {
            if let keyID = step.keyID, group.keyIDs.contains(keyID), let end = step.result?.evidence?.windowEnd { previous[keyID] = end }
        }
        // Incremental: a key already checked in this span is read from where its last check ended.
        let items = group.keyIDs.map { keyID in
            let scheduled = since[keyID] ?? plan.createdAt
            return (keyID: keyID, arn: arns[keyID] ?? "", since: max(scheduled, previous[keyID] ?? scheduled), step: awaitSteps[keyID])
        }
        let (check, attempts) = try await sweep(items, lag: plan.options.cloudTrailLag, record: record)
        var outcome = Outcome(check: check, drift: [:])
        for (keyID, uses) in attempts.sorted(by: { $0.key < $1.key }) {
            guard let stepID = awaitSteps[keyID] else { continue }
            outcome.drift[stepID] = [Self.driftItem(keyID, since: since[keyID] ?? plan.createdAt, uses, phase: "scheduled")]
            if plan.options.effectiveCancelOnUse {
                _ = try await AuditedCalls(audit: audit, now: now).make(stepID: stepID, CancelKeyDeletion.name, keyID: keyID) {
                    let requestID = try await kms.cancelKeyDeletion(keyID)
                    return (requestID, requestID)
                }
                outcome.cancelledKeys.append(keyID)
            }
        }
        return outcome
    }

    /// Sweeps keys concurrently (the rate limiter paces them); returns the check and each key's
    /// attempts. Each key found clean is handed to `record` as it finishes, on the step given.
    private func sweep(
        _ items: [(keyID: String, arn: String, since: Date, step: StepID?)], lag: TimeInterval, record: KeyCheckRecorder?
    ) async throws -> (EvidenceCheck, [String: [PrincipalUse]]) {
        let at = now()
        let sweeper = EvidenceSweeper(source: source)
        var eventsRead = 0
        var attempts: [String: [PrincipalUse]] = [:]
        // One key's failure does not cancel the others: every key that finishes is recorded, then
        // the first failure is thrown (the next run resumes from what was recorded).
        var failure: (any Error)?
        await withTaskGroup(of: (String, Result<KeyUseSummary, any Error>).self) { group in
            var pending = items[...]
            func launch() {
                guard let item = pending.popFirst() else { return }
                let window = EvidenceWindow.make(now: at, requestedStart: item.since, lag: lag)
                group.addTask {
                    do {
                        let summary = try await sweeper.sweep(keyARN: item.arn, window: window)
                        if let record, let step = item.step, !summary.hasAttemptedUse {
                            try await record(
                                step,
                                EvidenceCheck(
                                    checkedAt: at, windowStart: window.start, windowEnd: window.end, keysRead: 1,
                                    eventsRead: summary.eventsRead, attempts: 0))
                        }
                        return (item.keyID, .success(summary))
                    } catch {
                        return (item.keyID, .failure(error))
                    }
                }
            }
            for _ in 0..<8 { launch() }
            while let (keyID, result) = await group.next() {
                switch result {
                case .success(let summary):
                    eventsRead += summary.eventsRead
                    if summary.hasAttemptedUse { attempts[keyID] = summary.attempts }
                case .failure(let error):
                    failure = failure ?? error
                }
                launch()
            }
        }
        // Attempted use found elsewhere still stops the run; otherwise the failure is reported.
        if let failure, attempts.isEmpty { throw failure }
        let start = items.map(\.since).min() ?? at
        let check = EvidenceCheck(
            checkedAt: at, windowStart: start, windowEnd: at.addingTimeInterval(-max(0, lag)), keysRead: items.count,
            eventsRead: eventsRead, attempts: attempts.values.reduce(0) { $0 + $1.reduce(0) { $0 + $1.count } })
        return (check, attempts)
    }

    static func driftItem(_ keyID: String, since: Date, _ uses: [PrincipalUse], phase: String) -> DriftItem {
        let lines = uses.sorted { $0.lastTime > $1.lastTime }.map(FindingsEvaluator.describe)
        return DriftItem(
            kind: .keyUseAttempted, keyID: keyID, expected: "no attempted use since \(phase) at \(FindingsEvaluator.iso(since))",
            found: lines.joined(separator: "; "))
    }
}
