import Decommission
import Foundation
import Synchronization

/// Plans in memory: one checkpoint store, lock and audit trail per location, made on first use.
public final class InMemoryPlanStorage: PlanStorage {
    private struct Entry {
        let store = InMemoryCheckpointStore()
        let lock: InMemoryPlanLock
        var trail: InMemoryAuditTrail?
    }
    private let entries = Mutex<[String: Entry]>([:])

    public init() {}

    private func entry(_ location: String) -> Entry {
        entries.withLock { entries in
            if let entry = entries[location] { return entry }
            let entry = Entry(lock: InMemoryPlanLock(planLocation: location))
            entries[location] = entry
            return entry
        }
    }

    /// The checkpoint store at `location`.
    public func store(_ location: String) -> InMemoryCheckpointStore { entry(location).store }
    /// The lock at `location`.
    public func planLock(_ location: String) -> InMemoryPlanLock { entry(location).lock }
    /// The audit trail at `location`, once a run has used it.
    public func trail(_ location: String) -> InMemoryAuditTrail? { entries.withLock { $0[location]?.trail } }

    public func checkpointStore(forPlan location: String) -> any CheckpointStore { store(location) }

    public func lock(forPlan location: String) -> any PlanLock { planLock(location) }

    public func auditTrail(forPlan location: String, planID: String) -> any AuditTrail {
        entries.withLock { entries in
            if let trail = entries[location]?.trail { return trail }
            let trail = InMemoryAuditTrail(planID: planID)
            var entry = entries[location] ?? Entry(lock: InMemoryPlanLock(planLocation: location))
            entry.trail = trail
            entries[location] = entry
            return trail
        }
    }
}
