import Decommission
import Foundation
import Synchronization

/// A plan lock in memory: one holder at a time; a refusal names the holder, as the file lock does.
public final class InMemoryPlanLock: PlanLock {
    private let holder = Mutex<LockHolder?>(nil)
    private let planLocation: String

    public init(planLocation: String = "memory") { self.planLocation = planLocation }

    /// Who holds the lock now.
    public var currentHolder: LockHolder? { holder.withLock { $0 } }

    public func acquire(as holder: LockHolder) throws -> any LockLease {
        try self.holder.withLock { current in
            if let current {
                throw DecommissionError(
                    code: .lockHeld, message: "Plan '\(planLocation)' is locked by \(current.summary); wait for that run to finish, or stop it.",
                    lockHolder: current)
            }
            current = holder
        }
        return Lease(holder: holder, lock: self)
    }

    fileprivate func release(_ holder: LockHolder) {
        self.holder.withLock { if $0 == holder { $0 = nil } }
    }

    private final class Lease: LockLease {
        let holder: LockHolder
        private let lock: InMemoryPlanLock
        init(holder: LockHolder, lock: InMemoryPlanLock) {
            self.holder = holder
            self.lock = lock
        }
        func renew(at now: Date) throws {
            guard lock.currentHolder == holder else {
                throw DecommissionError(code: .lockHeld, message: "The lock was lost.", lockHolder: lock.currentHolder)
            }
        }
        func release() { lock.release(holder) }
    }
}
