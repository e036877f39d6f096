import Foundation

/// The dates a reviewer needs: when the first key becomes unrecoverable and when the whole
/// decommission is expected to be done (pure). `plan`, `status` and `apply` all read them here.
///
/// For each key, its deletion date is the one it already has (a key pending deletion before the
/// plan keeps its `DeletionDate`; a key the plan has scheduled has it in the step result), or, for
/// a key not yet scheduled, `now` + what is left of the observation + `pendingWindowDays`. The
/// point of no return is the earliest of those dates still in the future: until then, `cancel`
/// can still save every key. The expected completion is the latest one plus `lateDeletionMargin`
/// (one day), because KMS may delete a key up to 24 hours after its `DeletionDate`; the store's
/// disconnect and delete follow within minutes. A complete plan completed when its last step
/// finished; a cancelled one never completes.
public struct PlanTimeline: Sendable, Equatable {
    /// How late KMS may delete a key after its `DeletionDate`.
    public static let lateDeletionMargin: TimeInterval = 86_400

    /// The earliest deletion date still in the future; nil when no key is left to delete.
    public var earliestPointOfNoReturn: Date?
    /// The latest deletion date of a key; nil when the store holds no keys.
    public var latestDeletionDate: Date?
    /// When the plan is expected to be complete (now, for a store without keys); nil once cancelled.
    public var expectedCompletion: Date?

    public init(earliestPointOfNoReturn: Date?, latestDeletionDate: Date?, expectedCompletion: Date?) {
        self.earliestPointOfNoReturn = earliestPointOfNoReturn
        self.latestDeletionDate = latestDeletionDate
        self.expectedCompletion = expectedCompletion
    }

    /// Computes the timeline of a plan as of `now`.
    public static func compute(_ plan: Plan, now: Date) -> PlanTimeline {
        var timeline = from(deletionDates: deletionDates(plan, now: now), now: now)
        if plan.isComplete {
            timeline.expectedCompletion = plan.steps.compactMap(\.finishedAt).max() ?? timeline.expectedCompletion
        } else if plan.cancellation != nil {
            timeline.expectedCompletion = nil
        }
        return timeline
    }

    /// Computes a timeline from the keys' deletion dates.
    public static func from(deletionDates dates: [Date], now: Date) -> PlanTimeline {
        guard let latest = dates.max() else {
            return PlanTimeline(earliestPointOfNoReturn: nil, latestDeletionDate: nil, expectedCompletion: now)
        }
        return PlanTimeline(
            earliestPointOfNoReturn: dates.filter { $0 > now }.min(), latestDeletionDate: latest,
            expectedCompletion: latest.addingTimeInterval(lateDeletionMargin))
    }

    /// Recorded DeletionDates, plus the dates unscheduled keys would get if scheduled after the
    /// rest of the observation (none once the plan is cancelled).
    static func deletionDates(_ plan: Plan, now: Date) -> [Date] {
        let window = TimeInterval(plan.options.pendingWindowDays) * 86_400
        // One pass to find each key's schedule step: a search per key was O(keys × steps).
        var schedules: [String: Step] = [:]
        for step in plan.steps where step.action == .scheduleDeletion {
            if let keyID = step.keyID, schedules[keyID] == nil { schedules[keyID] = step }
        }
        let unscheduledDate = now.addingTimeInterval(window + observeRemaining(plan, now: now))
        var dates: [Date] = []
        for key in plan.keys {
            if key.wasPendingDeletion, let date = key.deletionDate {
                dates.append(date)
                continue
            }
            let schedule = schedules[key.keyID]
            if let date = schedule?.result?.deletionDate {
                dates.append(date)
            } else if plan.cancellation == nil, schedule?.status != .done {
                dates.append(unscheduledDate)
            }
        }
        return dates
    }

    /// What is left of the observation period (all of it before it starts).
    private static func observeRemaining(_ plan: Plan, now: Date) -> TimeInterval {
        guard let observe = plan.steps.first(where: { $0.action == .observe }), !observe.status.isFinished else { return 0 }
        if let notBefore = observe.notBefore { return max(0, notBefore.timeIntervalSince(now)) }
        return plan.options.observeDays * 86_400
    }
}
