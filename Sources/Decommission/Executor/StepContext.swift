import Foundation

/// What a step runner needs to know of the plan besides the step (immutable for the run).
struct StepContext: Sendable {
    var planID: String
    var target: PlanTarget
    var keys: [PlannedKey]
    var options: PlanOptions
    /// When each key was disabled by the plan (or observation began, for keys already disabled).
    var disabledAt: [String: Date] = [:]
    /// Keys whose deletion this plan scheduled (or that were pending before it).
    var scheduledKeys: Set<String> = []

    /// Builds the context a step needs from the plan's current progress.
    static func make(plan: Plan, for step: Step) -> StepContext {
        var context = StepContext(planID: plan.planID, target: plan.target, keys: plan.keys, options: plan.options)
        guard step.action == .observe || step.action == .preflightRescan || step.action == .rescanBeforeDisconnect else {
            return context
        }
        let observeStart = plan.steps.first { $0.action == .preflightRescan }?.finishedAt
        // One pass over the steps, not one search per key (O(keys × steps) at every rescan).
        var disables: [String: Step] = [:]
        var schedules: [String: Step] = [:]
        for step in plan.steps {
            guard let keyID = step.keyID else { continue }
            if step.action == .disableKey, disables[keyID] == nil { disables[keyID] = step }
            if step.action == .scheduleDeletion, schedules[keyID] == nil { schedules[keyID] = step }
        }
        for key in plan.keys {
            if key.wasPendingDeletion {
                context.scheduledKeys.insert(key.keyID)
                continue
            }
            if let disable = disables[key.keyID], disable.status == .done, let date = disable.finishedAt {
                context.disabledAt[key.keyID] = date
            } else if key.state == .disabled, let observeStart {
                context.disabledAt[key.keyID] = observeStart
            }
            if let schedule = schedules[key.keyID], schedule.status == .done {
                context.scheduledKeys.insert(key.keyID)
            }
        }
        return context
    }
}
