import Foundation

/// The dates a reviewer needs: when the first key becomes unrecoverable and when the whole
/// decommission is expected to be done (pure).
///
/// For each key, its deletion date is the one it already has (a key pending deletion before the
/// plan keeps its `DeletionDate`; a key the plan has scheduled has it in the step result), or else
/// `now + observeDays + pendingWindowDays`. The earliest point of no return is the minimum of
/// those dates: until then, `cancel` can still save every key. The expected completion is the
/// latest one plus `lateDeletionMargin` (one day), because KMS may delete a key up to 24 hours
/// after its `DeletionDate`; the store's disconnect and delete follow within minutes.
public struct PlanTimeline: Sendable, Equatable {
    /// How late KMS may delete a key after its `DeletionDate`.
    public static let lateDeletionMargin: TimeInterval = 86_400

    /// The earliest date a key of the plan is deleted; nil when the store holds no keys.
    public var earliestPointOfNoReturn: Date?
    /// The latest deletion date of a key; nil when the store holds no keys.
    public var latestDeletionDate: Date?
    /// When the plan is expected to be complete (now, for a store without keys).
    public var expectedCompletion: Date

    public init(earliestPointOfNoReturn: Date?, latestDeletionDate: Date?, expectedCompletion: Date) {
        self.earliestPointOfNoReturn = earliestPointOfNoReturn
        self.latestDeletionDate = latestDeletionDate
        self.expectedCompletion = expectedCompletion
    }

    /// Computes the timeline of a plan as of `now`.
    public static func compute(_ plan: Plan, now: Date) -> PlanTimeline {
        var scheduled: [String: Date] = [:]
        for step in plan.steps where step.action == .scheduleDeletion {
            if let keyID = step.keyID, let date = step.result?.deletionDate { scheduled[keyID] = date }
        }
        let projected = now.addingTimeInterval((plan.options.observeDays + Double(plan.options.pendingWindowDays)) * 86_400)
        let dates = plan.keys.map { key in key.deletionDate ?? scheduled[key.keyID] ?? projected }
        return from(deletionDates: dates, now: now)
    }

    /// Computes a timeline from the keys' deletion dates.
    public static func from(deletionDates dates: [Date], now: Date) -> PlanTimeline {
        guard let earliest = dates.min(), let latest = dates.max() else {
            return PlanTimeline(earliestPointOfNoReturn: nil, latestDeletionDate: nil, expectedCompletion: now)
        }
        return PlanTimeline(
            earliestPointOfNoReturn: earliest, latestDeletionDate: latest,
            expectedCompletion: latest.addingTimeInterval(lateDeletionMargin))
    }
}
