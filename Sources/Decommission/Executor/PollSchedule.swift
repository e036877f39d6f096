import Foundation
import KMSAPI

/// Growing poll intervals for the await steps.
enum PollSchedule {
    /// Store connect/disconnect: about 2 s, doubling, capped at 60 s.
    static func storeInterval(check: Int) -> TimeInterval {
        min(60, 2 * pow(2, Double(max(0, check))))
    }

    /// Key deletion after its DeletionDate: 1, 2, 5, 15, 30 min, then hourly (KMS may be a day late).
    static func deletionInterval(check: Int) -> TimeInterval {
        let minutes: [TimeInterval] = [1, 2, 5, 15, 30, 60]
        return minutes[min(max(0, check), minutes.count - 1)] * 60
    }

    /// How many times DeleteCustomKeyStore is tried again while KMS still lists deleted keys.
    static let deleteStoreRetries = 4

    /// DeleteCustomKeyStore refused for keys KMS has not forgotten yet: 10, 20, 40, 80 s.
    static func deleteStoreInterval(retry: Int) -> TimeInterval {
        5 * pow(2, Double(max(0, retry) + 1))
    }

    /// How late KMS may delete a key before a warning is raised.
    static let deletionLateness: TimeInterval = 24 * 3600
}

/// What running one step found.
enum StepRunOutcome: Sendable {
    case succeeded(StepResult?)
    case waiting(until: Date, StepResult?)
    case failed(StepError)
    case drift([DriftItem])
}

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

extension StepError {
    /// Converts any error from a call into the recorded form.
    static func from(_ error: any Error) -> StepError {
        if let error = error as? KMSError {
            return StepError(code: error.code.rawValue, message: error.message, awsErrorType: error.awsErrorType, requestID: error.requestID)
        }
        if let error = error as? DecommissionError { return StepError(error.code, message: error.message) }
        return StepError(.unexpected, message: "The step failed unexpectedly: \(error).")
    }
}
