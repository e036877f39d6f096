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

/// Who holds a plan's lock, as recorded beside it.
public struct LockHolder: Codable, Sendable, Equatable {
    public var host: String
    public var pid: Int32
    public var since: Date

    public init(host: String, pid: Int32, since: Date) {
        self.host = host
        self.pid = pid
        self.since = since
    }

    /// This process, on this host, from `since`.
    public static func current(since: Date) -> LockHolder {
        LockHolder(host: FilePlanLock.hostName(), pid: ProcessInfo.processInfo.processIdentifier, since: since)
    }

    /// "host H, pid P, since T", for messages.
    public var summary: String {
        "host \(host), pid \(pid), since \(ISO8601DateFormatter().string(from: since))"
    }
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
