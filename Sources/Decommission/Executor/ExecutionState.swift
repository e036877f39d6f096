import Foundation

/// The executor's pure core: the plan's steps and what to do next, with no I/O.
///
/// Transitions return actions for the `Executor` to carry out (`.persist`); it is unit-tested
/// with fixed dates.
public struct ExecutionState: Sendable {
    /// What the executor should do after a transition.
    public enum Action: Sendable, Equatable {
        /// Write these step snapshots to the journal; `durable` before a call that changes KMS.
        case persist([StepID], durable: Bool)
    }

    public private(set) var plan: Plan
    private var index: [StepID: Int] = [:]
    private var dependents: [StepID: [StepID]] = [:]
    /// The awaitDeletion step of each key, so a finished schedule step finds it in O(1).
    private var awaitDeletionByKey: [String: Int] = [:]
    /// How many steps of each kind are not finished, kept up to date by every transition.
    private var unfinishedByAction: [StepAction: Int] = [:]
    /// Per step (by offset): dependencies not yet done or skipped, kept up to date by every
    /// transition (a dependency on an unknown step never counts as met).
    private var unmetDependencies: [Int] = []
    /// Per step (by offset): the offsets of the steps that depend on it.
    private var dependentOffsets: [[Int]] = []
    /// Steps that failed during this run: not retried until the next run.
    public private(set) var failedThisRun: Set<StepID> = []
    public private(set) var drift: [DriftItem] = []
    public private(set) var running: Set<StepID> = []

    public init(plan: Plan) {
        self.plan = plan
        var scheduledKeys: Set<String> = []
        for (offset, step) in plan.steps.enumerated() { index[step.id] = offset }
        unmetDependencies = Array(repeating: 0, count: plan.steps.count)
        dependentOffsets = Array(repeating: [], count: plan.steps.count)
        for (offset, step) in plan.steps.enumerated() {
            for dependency in step.dependsOn {
                dependents[dependency, default: []].append(step.id)
                guard let dependencyOffset = index[dependency] else {
                    unmetDependencies[offset] += 1
                    continue
                }
                dependentOffsets[dependencyOffset].append(offset)
                if !Self.satisfies(plan.steps[dependencyOffset].status) { unmetDependencies[offset] += 1 }
            }
            unfinishedByAction[step.action, default: 0] += step.status.isFinished ? 0 : 1
            guard let keyID = step.keyID else { continue }
            if step.action == .awaitDeletion, awaitDeletionByKey[keyID] == nil { awaitDeletionByKey[keyID] = offset }
            if step.action == .scheduleDeletion { scheduledKeys.insert(keyID) }
        }
        for step in plan.steps { deriveSchedule(after: step.id) }
        var knownDeletionDates: [String: Date] = [:]
        for key in plan.keys where knownDeletionDates[key.keyID] == nil {
            if let date = key.deletionDate { knownDeletionDates[key.keyID] = date }
        }
        for step in plan.steps where step.action == .awaitDeletion {
            deriveAwaitTime(step.id, scheduledKeys: scheduledKeys, knownDeletionDates: knownDeletionDates)
        }
    }

    /// The kinds of step of which every step is finished (done, skipped or cancelled).
    public var finishedActions: Set<StepAction> {
        Set(unfinishedByAction.filter { $0.value == 0 }.keys)
    }

    /// Returns a step by id.
    public func step(_ id: StepID) -> Step? { index[id].map { plan.steps[$0] } }

    /// Steps left `running` by an earlier run that crashed; reconcile them before anything else.
    public var interruptedSteps: [StepID] {
        plan.steps.filter { $0.status == .running && !running.contains($0.id) }.map(\.id)
    }

    /// Whether no further step will be launched in this run (drift or a failure).
    public var isStopping: Bool { !drift.isEmpty || !failedThisRun.isEmpty }

    /// Steps that may start now: pending, waiting or failed (from an earlier run), with every
    /// dependency done or skipped and `notBefore` reached.
    ///
    /// Called once per step transition, so it reads fields in place by index: iterating the steps
    /// by value copied every step (a dozen reference counts each), which dominated `apply`'s CPU.
    public func runnable(now: Date) -> [StepID] {
        guard !isStopping, plan.cancellation == nil else { return [] }
        var ids: [StepID] = []
        for offset in plan.steps.indices where (plan.steps[offset].notBefore ?? .distantPast) <= now && isReady(offset) {
            ids.append(plan.steps[offset].id)
        }
        return ids
    }

    /// The earliest `notBefore` among steps whose dependencies are satisfied but that are not due.
    public var nextDueTime: Date? {
        var earliest: Date?
        for offset in plan.steps.indices where isReady(offset) {
            guard let notBefore = plan.steps[offset].notBefore else { continue }
            earliest = min(earliest ?? notBefore, notBefore)
        }
        return earliest
    }

    private func isReady(_ offset: Int) -> Bool {
        // Cheapest tests first: a count, not a walk over the dependencies (the rescan step depends
        // on every key's await step), and the id hashing last.
        guard unmetDependencies[offset] == 0 else { return false }
        let status = plan.steps[offset].status
        guard status == .pending || status == .waiting || status == .failed else { return false }
        if status == .failed, failedThisRun.contains(plan.steps[offset].id) { return false }
        return running.isEmpty || !running.contains(plan.steps[offset].id)
    }

    /// Whether a dependency in this status lets its dependents run.
    private static func satisfies(_ status: StepStatus) -> Bool { status == .done || status == .skipped }

    /// Sets a step's status, keeping the unfinished counts by kind and the unmet dependency counts.
    private mutating func setStatus(_ offset: Int, _ status: StepStatus) {
        let old = plan.steps[offset].status
        plan.steps[offset].status = status
        if old.isFinished != status.isFinished {
            unfinishedByAction[plan.steps[offset].action, default: 0] += status.isFinished ? -1 : 1
        }
        if Self.satisfies(old) != Self.satisfies(status) {
            for dependent in dependentOffsets[offset] { unmetDependencies[dependent] += Self.satisfies(status) ? -1 : 1 }
        }
    }

    // MARK: - Transitions

    /// Marks a step running (attempts + 1); the snapshot is persisted before its call.
    public mutating func stepStarted(_ id: StepID, at now: Date) -> [Action] {
        guard let offset = index[id] else { return [] }
        setStatus(offset, .running)
        plan.steps[offset].attempts += 1
        if plan.steps[offset].startedAt == nil { plan.steps[offset].startedAt = now }
        plan.steps[offset].error = nil
        running.insert(id)
        return [.persist([id], durable: plan.steps[offset].action.isMutating)]
    }

    /// Marks a step done and schedules what its result makes known (await times, observation end).
    public mutating func stepSucceeded(_ id: StepID, result: StepResult?, at now: Date) -> [Action] {
        guard let offset = index[id] else { return [] }
        running.remove(id)
        setStatus(offset, .done)
        plan.steps[offset].finishedAt = now
        plan.steps[offset].notBefore = nil
        plan.steps[offset].error = nil
        if let result { plan.steps[offset].result = result }
        var changed = [id]
        changed += deriveSchedule(after: id)
        return [.persist(changed, durable: plan.steps[offset].action.isMutating)]
    }

    /// Marks a step waiting until `until` (a poll found the work not finished yet).
    public mutating func stepWaiting(_ id: StepID, until: Date, result: StepResult?) -> [Action] {
        guard let offset = index[id] else { return [] }
        running.remove(id)
        setStatus(offset, .waiting)
        plan.steps[offset].notBefore = until
        if let result { plan.steps[offset].result = result }
        return [.persist([id], durable: false)]
    }

    /// Marks a step failed with its error; it is retried by the next run, not this one.
    public mutating func stepFailed(_ id: StepID, error: StepError, at now: Date) -> [Action] {
        guard let offset = index[id] else { return [] }
        running.remove(id)
        setStatus(offset, .failed)
        plan.steps[offset].error = error
        plan.steps[offset].finishedAt = now
        failedThisRun.insert(id)
        return [.persist([id], durable: true)]
    }

    /// Records drift found by a step: the step goes back to pending and the run stops.
    public mutating func stepFoundDrift(_ id: StepID, items: [DriftItem]) -> [Action] {
        guard let offset = index[id] else { return [] }
        running.remove(id)
        setStatus(offset, .pending)
        plan.steps[offset].error = StepError(drift: items)
        drift += items
        return [.persist([id], durable: true)]
    }

    /// Records a CloudTrail check on a step without changing its status (observation or guard passed).
    public mutating func stepChecked(_ ids: [StepID], evidence: EvidenceCheck) -> [Action] {
        let offsets = ids.compactMap { index[$0] }
        for offset in offsets {
            var result = plan.steps[offset].result ?? StepResult()
            result.evidence = evidence
            plan.steps[offset].result = result
        }
        return offsets.isEmpty ? [] : [.persist(offsets.map { plan.steps[$0].id }, durable: false)]
    }

    /// Puts a step that was left running back to pending (reconciliation found it not applied).
    public mutating func stepReset(_ id: StepID) -> [Action] {
        guard let offset = index[id] else { return [] }
        running.remove(id)
        setStatus(offset, .pending)
        return [.persist([id], durable: false)]
    }

    /// Forgets that a step is in flight without changing its recorded status (cancelled mid-call:
    /// it stays `running` so the next run reconciles it).
    public mutating func stepAbandoned(_ id: StepID) {
        running.remove(id)
    }

    /// Decides whether the run is over, given the time and whether the run may sleep until `limit`.
    public func finishDecision(now: Date) -> ApplyOutcome? {
        guard running.isEmpty, runnable(now: now).isEmpty else { return nil }
        if !drift.isEmpty { return .blocked(drift: drift) }
        if !failedThisRun.isEmpty { return .failed(steps: plan.steps.filter { failedThisRun.contains($0.id) }.map(\.id)) }
        if plan.isComplete { return .done }
        if let next = nextDueTime { return .waiting(nextActionAt: next) }
        // Nothing ready and nothing due: only failed steps from earlier runs block progress.
        let failed = plan.steps.filter { $0.status == .failed }.map(\.id)
        return .failed(steps: failed)
    }

    /// Records approval in the plan.
    public mutating func approve(_ approval: Approval) { plan.approval = approval }

    /// Sets when the plan was last updated.
    public mutating func touch(_ now: Date) { plan.updatedAt = now }

    // MARK: - Derived schedule

    /// Sets the due times that a finished step makes known; returns the steps changed.
    @discardableResult
    private mutating func deriveSchedule(after id: StepID) -> [StepID] {
        guard let finished = step(id), finished.status == .done else { return [] }
        var changed: [StepID] = []
        if finished.action == .scheduleDeletion, let keyID = finished.keyID, let awaitOffset = awaitDeletionByKey[keyID],
            let date = finished.result?.deletionDate, !plan.steps[awaitOffset].status.isFinished,
            plan.steps[awaitOffset].notBefore == nil
        {
            plan.steps[awaitOffset].notBefore = date.addingTimeInterval(Self.deletionGrace)
            changed.append(plan.steps[awaitOffset].id)
        }
        for dependentID in dependents[id] ?? [] {
            guard let offset = index[dependentID], plan.steps[offset].action == .observe,
                plan.steps[offset].notBefore == nil, plan.steps[offset].status == .pending
            else { continue }
            let dependencies = plan.steps[offset].dependsOn.compactMap { step($0) }
            guard dependencies.allSatisfy({ $0.status == .done || $0.status == .skipped }) else { continue }
            let latest = dependencies.compactMap(\.finishedAt).max() ?? finished.finishedAt ?? .distantPast
            plan.steps[offset].notBefore = latest.addingTimeInterval(plan.options.observeDays * 86_400)
            changed.append(dependentID)
        }
        return changed
    }

    /// A key pending deletion before the plan is first checked at its existing DeletionDate.
    private mutating func deriveAwaitTime(_ id: StepID, scheduledKeys: Set<String>, knownDeletionDates: [String: Date]) {
        guard let offset = index[id], plan.steps[offset].notBefore == nil, plan.steps[offset].status == .pending,
            let keyID = plan.steps[offset].keyID
        else { return }
        if !scheduledKeys.contains(keyID), let date = knownDeletionDates[keyID] {
            plan.steps[offset].notBefore = date.addingTimeInterval(Self.deletionGrace)
        }
    }

    /// The seconds after a DeletionDate before the first check.
    public static let deletionGrace: TimeInterval = 5
}
