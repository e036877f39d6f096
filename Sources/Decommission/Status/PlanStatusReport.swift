import Foundation

/// Where a plan stands: its phase, each step's state, what is next and the point of no return.
public struct PlanStatusReport: Codable, Sendable, Equatable {
    /// The phase a plan is in, derived from its steps.
    public enum Phase: String, Codable, Sendable {
        case planned, approved, connecting, observing, scheduling
        case waitingForDeletion = "waiting-for-deletion"
        case disconnecting, deleting, completed, cancelled, blocked, failed
    }

    /// Step counts by status.
    public struct Counts: Codable, Sendable, Equatable {
        public var total = 0
        public var pending = 0
        public var running = 0
        public var waiting = 0
        public var done = 0
        public var failed = 0
        public var skipped = 0
        public var cancelled = 0
        /// Steps that will not run again (done, skipped, cancelled).
        public var finished: Int { done + skipped + cancelled }
    }

    /// One step's state in the report.
    public struct StepLine: Codable, Sendable, Equatable {
        public var id: StepID
        public var action: StepAction
        public var keyID: String?
        public var status: StepStatus
        public var notBefore: Date?
        public var deletionDate: Date?
        public var error: StepError?
        /// The step's last CloudTrail check (observation, a disabled key's, a pending key's guard).
        public var evidence: EvidenceCheck?
        enum CodingKeys: String, CodingKey { case id, action, keyID = "keyId", status, notBefore, deletionDate, error, evidence }
    }

    public var planID: String
    public var keyStoreID: String
    public var fingerprint: String
    public var phase: Phase
    public var steps: [StepLine]
    public var counts: Counts
    public var nextActionAt: Date?
    /// The earliest DeletionDate still in the future (recorded, or planned for unscheduled keys;
    /// `PlanTimeline`).
    public var pointOfNoReturn: Date?
    /// When the plan should complete, if everything goes as planned (`PlanTimeline`).
    public var expectedCompletion: Date?
    public var failedSteps: [StepLine]
    /// The CloudTrail evidence read at plan time (absent for plans made without CloudTrail).
    public var evidence: EvidenceSummary?
    /// The last CloudTrail check of the observation.
    public var observationCheck: EvidenceCheck?
    /// One guard per DeletionDate (absent for plans made without CloudTrail).
    public var guards: [GuardLine]?

    enum CodingKeys: String, CodingKey {
        case planID = "planId", keyStoreID = "keyStoreId", fingerprint, phase, steps, counts, nextActionAt, pointOfNoReturn
        case expectedCompletion, failedSteps, evidence, observationCheck, guards
    }

    /// Builds the report from a plan at a given time (pure).
    public static func make(_ plan: Plan, now: Date) -> PlanStatusReport {
        var counts = Counts()
        var lines: [StepLine] = []
        for step in plan.steps {
            counts.total += 1
            switch step.status {
            case .pending: counts.pending += 1
            case .running: counts.running += 1
            case .waiting: counts.waiting += 1
            case .done: counts.done += 1
            case .failed: counts.failed += 1
            case .skipped: counts.skipped += 1
            case .cancelled: counts.cancelled += 1
            }
            lines.append(
                StepLine(
                    id: step.id, action: step.action, keyID: step.keyID, status: step.status, notBefore: step.notBefore,
                    deletionDate: step.result?.deletionDate, error: step.error, evidence: step.result?.evidence))
        }
        let state = ExecutionState(plan: plan)
        var next = plan.isComplete || plan.cancellation != nil ? nil : (state.runnable(now: now).isEmpty ? state.nextDueTime : now)
        let timeline = PlanTimeline.compute(plan, now: now)
        var guards: [GuardLine]?
        if plan.options.guardHours != nil {
            let schedule = EvidenceMonitor.guardSchedule(plan, now: now)
            guards = schedule.groups.map(GuardLine.init)
            if let next0 = next, let guardAt = schedule.nextCheckAt, plan.cancellation == nil { next = min(next0, guardAt) }
        }
        return PlanStatusReport(
            planID: plan.planID, keyStoreID: plan.target.keyStoreID, fingerprint: plan.fingerprint, phase: phase(plan), steps: lines,
            counts: counts, nextActionAt: next, pointOfNoReturn: timeline.earliestPointOfNoReturn,
            expectedCompletion: timeline.expectedCompletion,
            failedSteps: lines.filter { $0.status == .failed }, evidence: plan.evidence,
            observationCheck: plan.steps.first { $0.action == .observe }?.result?.evidence, guards: guards)
    }

    /// The phase: terminal states first, then the earliest unfinished kind of step.
    static func phase(_ plan: Plan) -> Phase {
        if plan.cancellation != nil { return .cancelled }
        if plan.isComplete { return .completed }
        if plan.steps.contains(where: { $0.status == .failed }) { return .failed }
        if plan.blocked || plan.steps.contains(where: { $0.error?.isDrift == true }) { return .blocked }
        if !plan.hasStartedSteps {
            return plan.approval == nil ? .planned : .approved
        }
        guard let current = plan.steps.first(where: { !$0.status.isFinished }) else { return .completed }
        switch current.action {
        case .verifyStore, .connectStore, .awaitStoreConnected: return .connecting
        case .preflightRescan: return .scheduling
        case .disableKey, .observe: return .observing
        case .scheduleDeletion: return .scheduling
        case .awaitDeletion, .rescanBeforeDisconnect: return .waitingForDeletion
        case .disconnectStore, .awaitStoreDisconnected: return .disconnecting
        case .deleteStore, .verifyStoreDeleted: return .deleting
        }
    }
}
