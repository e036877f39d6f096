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
        for step in plan.steps where step.action == .awaitDeletion && !step.status.isFinished {
            guard let keyID = step.keyID, let date = scheduled[keyID] ?? step.result?.deletionDate ?? known[keyID] else { continue }
            deletions[keyID] = date
            if let check = step.result?.evidence { checks.append(GuardCheck(deletionDate: date, checkedAt: check.checkedAt)) }
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

    /// Reads each disabled key's events since it was disabled.
    func observe(disabledAt keys: [String: Date], keys planned: [PlannedKey], lag: TimeInterval, stepID: StepID) async throws -> Outcome {
        let arns = Dictionary(planned.map { ($0.keyID, $0.arn) }, uniquingKeysWith: { a, _ in a })
        let items = keys.sorted { $0.key < $1.key }.map { (keyID: $0.key, arn: arns[$0.key] ?? "", since: $0.value) }
        let (check, attempts) = try await sweep(items, lag: lag)
        let drift = attempts.map { Self.driftItem($0.key, since: keys[$0.key] ?? now(), $0.value, phase: "disabled") }
        return Outcome(check: check, drift: drift.isEmpty ? [:] : [stepID: drift.sorted { ($0.keyID ?? "") < ($1.keyID ?? "") }])
    }

    /// Reads a guard group's keys' events since each was scheduled; with `--cancel-on-use`,
    /// cancels the deletion of the keys with attempted use (audited), and only those.
    func guardGroup(_ group: GuardSchedule.Group, plan: Plan) async throws -> Outcome {
        var since: [String: Date] = [:]
        var awaitSteps: [String: StepID] = [:]
        for step in plan.steps {
            guard let keyID = step.keyID, group.keyIDs.contains(keyID) else { continue }
            if step.action == .scheduleDeletion, let date = step.finishedAt { since[keyID] = date }
            if step.action == .awaitDeletion { awaitSteps[keyID] = step.id }
        }
        let arns = Dictionary(plan.keys.map { ($0.keyID, $0.arn) }, uniquingKeysWith: { a, _ in a })
        let items = group.keyIDs.map { (keyID: $0, arn: arns[$0] ?? "", since: since[$0] ?? plan.createdAt) }
        let (check, attempts) = try await sweep(items, lag: plan.options.cloudTrailLag)
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

    /// Sweeps keys concurrently (the rate limiter paces them); returns the check and each key's attempts.
    private func sweep(_ items: [(keyID: String, arn: String, since: Date)], lag: TimeInterval) async throws -> (EvidenceCheck, [String: [PrincipalUse]]) {
        let at = now()
        let sweeper = EvidenceSweeper(source: source)
        var eventsRead = 0
        var attempts: [String: [PrincipalUse]] = [:]
        try await withThrowingTaskGroup(of: (String, KeyUseSummary).self) { group in
            var pending = items[...]
            func launch() {
                guard let item = pending.popFirst() else { return }
                let window = EvidenceWindow.make(now: at, requestedStart: item.since, lag: lag)
                group.addTask { (item.keyID, try await sweeper.sweep(keyARN: item.arn, window: window)) }
            }
            for _ in 0..<8 { launch() }
            while let (keyID, summary) = try await group.next() {
                eventsRead += summary.eventsRead
                if summary.hasAttemptedUse { attempts[keyID] = summary.attempts }
                launch()
            }
        }
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
