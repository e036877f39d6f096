import Foundation

/// Runs a plan's step graph on paper: each due step "succeeds" with what the plan expects (the
/// store as planned, keys found, deletions scheduled for `now + pendingWindowDays`), short waits
/// the run would sleep through inline are passed over, and it stops at the first longer one.
/// Pure: no call, no file.
enum DryRunSimulator {
    static func simulate(_ plan: Plan, now: Date, options: ApplyOptions) -> DryRunReport {
        var state = ExecutionState(plan: plan)
        // Steps a crashed run left running are reconciled first, then run if not applied.
        for id in state.interruptedSteps { _ = state.stepReset(id) }
        var clock = now
        var calls: [PlannedCall] = []
        let inline = TimeInterval(options.inlineWaitLimit.components.seconds)
        while true {
            let due = state.runnable(now: clock)
            if due.isEmpty {
                guard !state.plan.isComplete, let next = state.nextDueTime else {
                    return DryRunReport(calls: calls, nextWaitAt: nil, timeline: PlanTimeline.compute(plan, now: now))
                }
                // The run sleeps through short waits (store polls) and stops at the first longer one.
                if next.timeIntervalSince(clock) > inline {
                    return DryRunReport(calls: calls, nextWaitAt: next, timeline: PlanTimeline.compute(plan, now: now))
                }
                clock = max(clock, next)
                continue
            }
            for id in due {
                guard let step = state.step(id) else { continue }
                calls.append(
                    PlannedCall(
                        stepID: step.id, action: step.action, operation: Applier.operation(step.action), keyID: step.keyID,
                        keyStoreID: plan.target.keyStoreID, changesKMS: step.action.isMutating))
                _ = state.stepStarted(id, at: clock)
                _ = state.stepSucceeded(id, result: expectedResult(step, plan: plan, at: clock), at: clock)
            }
        }
    }

    /// The result a step has when every read answers what the plan expects.
    private static func expectedResult(_ step: Step, plan: Plan, at time: Date) -> StepResult? {
        switch step.action {
        case .scheduleDeletion:
            StepResult(deletionDate: time.addingTimeInterval(TimeInterval(plan.options.pendingWindowDays) * 86_400))
        default:
            nil
        }
    }
}
