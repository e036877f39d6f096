import Foundation

/// What `apply --dry-run` shows: every call this run would make up to its next wait, in order,
/// assuming every read answers what the plan expects.
public struct DryRunReport: Sendable, Equatable {
    /// The calls in the order the run would make them (reads included).
    public var calls: [PlannedCall]
    /// When the run would stop to wait, if it does before the plan completes.
    public var nextWaitAt: Date?
    /// The timeline the plan would have (`PlanTimeline`, as `plan` and `status` show it).
    public var timeline: PlanTimeline
}
