import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The exclusive lock on a plan file (`NAME.lock`, mode 0600): `flock(LOCK_EX|LOCK_NB)`, holding
/// JSON naming the holder so a second run can say who has it. The kernel drops the lock if the
/// holder dies.
public struct FilePlanLock: PlanLock {
    /// How long a refused run keeps reading the lock file for its holder's record: the winner
    /// writes it just after `flock`, so a run that loses by microseconds finds it empty at first.
    static let holderWait: Duration = .seconds(2)

    /// The lock file's path.
    public let path: String
    private let planPath: String
    /// Test hooks: between taking the lock and writing the record, and each time the lock is
    /// found held without a record (so a test can hold the race window open deterministically).
    private let afterLocking: @Sendable () async -> Void
    private let whileRecordMissing: @Sendable () async -> Void

    /// The lock beside the plan at `planPath`.
    public init(planPath: String) {
        self.init(planPath: planPath, afterLocking: {}, whileRecordMissing: {})
    }

    init(planPath: String, afterLocking: @escaping @Sendable () async -> Void, whileRecordMissing: @escaping @Sendable () async -> Void) {
        self.planPath = planPath
        self.path = Self.path(forPlan: planPath)
        self.afterLocking = afterLocking
        self.whileRecordMissing = whileRecordMissing
    }

    /// Returns the lock path beside a plan file.
    public static func path(forPlan planPath: String) -> String {
        SiblingFile.path(forPlan: planPath, suffix: ".lock")
    }

    public func acquire(as holder: LockHolder) async throws -> any LockLease {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw AtomicFile.posixError("open the lock file '\(path)'") }
        let deadline = ContinuousClock.now.advanced(by: Self.holderWait)
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let reason = errno
            guard reason == EWOULDBLOCK else {
                close(fd)
                throw DecommissionError(code: .fileSystem, message: "Could not lock '\(path)': \(String(cString: strerror(reason))).")
            }
            // Held: name the holder, once its record is there (or the lock is free again).
            if let current = Self.readHolder(fd) {
                close(fd)
                throw Self.held(planPath: planPath, by: current)
            }
            guard ContinuousClock.now < deadline else {
                close(fd)
                throw DecommissionError(
                    code: .lockHeld,
                    message: "Plan '\(planPath)' is locked by a process that has not written its record to '\(path)'; wait for it, or stop it.")
            }
            await whileRecordMissing()
            // Suspends rather than blocking a thread; at most `holderWait` in all.
            do {
                try await Task.sleep(for: .milliseconds(1))
            } catch {
                close(fd)
                throw error
            }
        }
        await afterLocking()
        do {
            var data = try JSONCoding.makeCompactEncoder().encode(holder)
            data.append(0x0A)
            guard ftruncate(fd, 0) == 0, fchmod(fd, 0o600) == 0 else {
                throw AtomicFile.posixError("write the lock file '\(path)'")
            }
            let written = data.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
            guard written == data.count else { throw AtomicFile.posixError("write the lock file '\(path)'") }
        } catch {
            close(fd)
            throw error
        }
        return FileLockLease(holder: holder, fd: fd)
    }

    /// The refusal naming who holds the lock.
    static func held(planPath: String, by holder: LockHolder) -> DecommissionError {
        DecommissionError(
            code: .lockHeld, message: "Plan '\(planPath)' is locked by \(holder.summary); wait for that run to finish, or stop it.",
            lockHolder: holder)
    }

    /// Reads who holds the lock beside a plan, if anyone wrote it.
    public static func holder(planPath: String) -> LockHolder? {
        let fd = open(path(forPlan: planPath), O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        return readHolder(fd)
    }

    static func readHolder(_ fd: Int32) -> LockHolder? {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        return try? JSONCoding.makeDecoder().decode(LockHolder.self, from: Data(buffer[0..<count]))
    }

    static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "unknown" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
