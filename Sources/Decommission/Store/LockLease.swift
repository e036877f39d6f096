import Foundation

/// A lock that is held: renew it during a long run, release it at the end.
public protocol LockLease: Sendable {
    /// Who holds it (this process).
    var holder: LockHolder { get }
    /// Confirms the lock is still held and extends its lease; a file lock has nothing to extend.
    /// - Throws: `DecommissionError` with `apply.lock-held` when the lease was lost.
    func renew(at now: Date) async throws
    /// Releases the lock (also released when the process exits, for a file lock).
    func release() async
}
