import Foundation

/// The executor's pure core: the plan's steps and what to do next, with no I/O.
///
/// Transitions return actions for the `Executor` to carry out (`.start`, `.persist`, `.finish`);
/// it is unit-tested with fixed dates.
public struct ExecutionState: Sendable {
    /// What the executor should do after a transition.
    public enum Action: Sendable, Equatable {
        /// Launch these steps (already marked running).
        case start([StepID])
        /// Write these step snapshots to the journal; `durable` before a call that changes KMS.
        case persist([StepID], durable: Bool)
        /// The run is over.
        case finish(ApplyOutcome)
    }

    public private(set) var plan: Plan
    private var index: [StepID: Int] = [:]
    private var dependents: [StepID: [StepID]] = [:]
    /// Steps that failed during this run: not retried until the next run.
    public private(set) var failedThisRun: Set<StepID> = []
    public private(set) var drift: [DriftItem] = []
    public private(set) var running: Set<StepID> = []

    public init(plan: Plan) {
        self.plan = plan
        for (offset, step) in plan.steps.enumerated() {
            index[step.id] = offset
            for dependency in step.dependsOn { dependents[dependency, default: []].append(step.id) }
        }
        for step in plan.steps { deriveSchedule(after: step.id) }
        for step in plan.steps where step.action == .awaitDeletion { deriveAwaitTime(step.id) }
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
    public func runnable(now: Date) -> [StepID] {
        guard !isStopping, plan.cancellation == nil else { return [] }
        return plan.steps.filter { isReady($0) && ($0.notBefore ?? .distantPast) <= now }.map(\.id)
    }

    /// The earliest `notBefore` among steps whose dependencies are satisfied but that are not due.
    public var nextDueTime: Date? {
        plan.steps.filter { isReady($0) }.compactMap { $0.notBefore }.min()
    }

    private func isReady(_ step: Step) -> Bool {
        let eligible =
            step.status == .pending || step.status == .waiting
            || (step.status == .failed && !failedThisRun.contains(step.id))
        guard eligible, !running.contains(step.id) else { return false }
        return step.dependsOn.allSatisfy { dependency in
            guard let status = self.step(dependency)?.status else { return false }
            return status == .done || status == .skipped
        }
    }

    // MARK: - Transitions

    /// Marks a step running (attempts + 1); the snapshot is persisted before its call.
    public mutating func stepStarted(_ id: StepID, at now: Date) -> [Action] {
        guard let offset = index[id] else { return [] }
        plan.steps[offset].status = .running
        plan.steps[offset].attempts += 1
        if plan.steps[offset].startedAt == nil { plan.steps[offset].startedAt = now }
        plan.steps[offset].error = nil
        running.insert(id)
        return [.persist([id], durable: plan.steps[offset].action.isMutating), .start([id])]
    }

    /// Marks a step done and schedules what its result makes known (await times, observation end).
    public mutating func stepSucceeded(_ id: StepID, result: StepResult?, at now: Date) -> [Action] {
        guard let offset = index[id] else { return [] }
        running.remove(id)
        plan.steps[offset].status = .done
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
        plan.steps[offset].status = .waiting
        plan.steps[offset].notBefore = until
        if let result { plan.steps[offset].result = result }
        return [.persist([id], durable: false)]
    }

    /// Marks a step failed with its error; it is retried by the next run, not this one.
    public mutating func stepFailed(_ id: StepID, error: StepError, at now: Date) -> [Action] {
        guard let offset = index[id] else { return [] }
        running.remove(id)
        plan.steps[offset].status = .failed
        plan.steps[offset].error = error
        plan.steps[offset].finishedAt = now
        failedThisRun.insert(id)
        return [.persist([id], durable: true)]
    }

    /// Records drift found by a step: the step goes back to pending and the run stops.
    public mutating func stepFoundDrift(_ id: StepID, items: [DriftItem]) -> [Action] {
        guard let offset = index[id] else { return [] }
        running.remove(id)
        plan.steps[offset].status = .pending
        plan.steps[offset].error = StepError(
            code: DecommissionError.Code.drift.rawValue,
            message: "Drift: " + items.map(\.description).joined(separator: "; ") + ".")
        drift += items
        return [.persist([id], durable: true)]
    }

    /// Puts a step that was left running back to pending (reconciliation found it not applied).
    public mutating func stepReset(_ id: StepID) -> [Action] {
        guard let offset = index[id] else { return [] }
        running.remove(id)
        plan.steps[offset].status = .pending
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
        if finished.action == .scheduleDeletion, let keyID = finished.keyID,
            let awaitOffset = plan.steps.firstIndex(where: { $0.action == .awaitDeletion && $0.keyID == keyID }),
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
    private mutating func deriveAwaitTime(_ id: StepID) {
        guard let offset = index[id], plan.steps[offset].notBefore == nil, plan.steps[offset].status == .pending,
            let keyID = plan.steps[offset].keyID
        else { return }
        let scheduled = plan.steps.first { $0.action == .scheduleDeletion && $0.keyID == keyID }
        if scheduled == nil, let date = plan.keys.first(where: { $0.keyID == keyID })?.deletionDate {
            plan.steps[offset].notBefore = date.addingTimeInterval(Self.deletionGrace)
        }
    }

    /// The seconds after a DeletionDate before the first check.
    public static let deletionGrace: TimeInterval = 5
}
