import Foundation

/// Where a plan lives with its progress, lock and audit trail, by the plan's location (a path
/// for the file backend).
///
/// `Applier` and `Canceller` reach storage only through this, so a second backend (an object
/// store) is a new conformance, not a change to the executor.
public protocol PlanStorage: Sendable {
    /// The plan's progress: the plan and its journal.
    func checkpointStore(forPlan location: String) -> any CheckpointStore
    /// The plan's exclusive lock.
    func lock(forPlan location: String) -> any PlanLock
    /// The plan's audit trail.
    func auditTrail(forPlan location: String, planID: String) -> any AuditTrail
}

/// Plans as files: `NAME.json`, `NAME.journal.jsonl`, `NAME.lock` and `NAME.audit.jsonl`, mode 0600.
public struct FilePlanStorage: PlanStorage {
    public init() {}

    public func checkpointStore(forPlan location: String) -> any CheckpointStore { FileCheckpointStore(planPath: location) }

    public func lock(forPlan location: String) -> any PlanLock { FilePlanLock(planPath: location) }

    public func auditTrail(forPlan location: String, planID: String) -> any AuditTrail {
        AuditLog(path: AuditLog.path(forPlan: location), planID: planID)
    }
}
