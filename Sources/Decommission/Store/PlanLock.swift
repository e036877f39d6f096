import Foundation

/// The exclusive lock on one plan: at most one `apply` or `cancel` works on it at a time.
///
/// The file lock is `flock` on `NAME.lock`; an object store would keep a lock object written
/// with a precondition and a lease that its holder renews.
public protocol PlanLock: Sendable {
    /// Takes the lock for `holder`.
    /// - Throws: `DecommissionError` with `apply.lock-held`, whose `lockHolder` names who has it
    ///   (host, pid, since), or `io.failed`.
    func acquire(as holder: LockHolder) async throws -> any LockLease
}

extension PlanLock {
    /// Runs `body` holding the lock, and releases it whatever happens.
    func withLock<T: Sendable>(as holder: LockHolder, _ body: (any LockLease) async throws -> T) async throws -> T {
        let lease = try await acquire(as: holder)
        do {
            let value = try await body(lease)
            await lease.release()
            return value
        } catch {
            await lease.release()
            throw error
        }
    }
}
