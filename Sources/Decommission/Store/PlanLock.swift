import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The exclusive lock on a plan (`NAME.lock`, mode 0600): `flock(LOCK_EX|LOCK_NB)`, holding JSON
/// naming the holder so a second run can say who has it. The kernel drops the lock if the holder dies.
public final class PlanLock: Sendable {
    /// Who holds a lock, as written in the lock file.
    public struct Holder: Codable, Sendable, Equatable {
        public var host: String
        public var pid: Int32
        public var since: Date
        public init(host: String, pid: Int32, since: Date) {
            self.host = host
            self.pid = pid
            self.since = since
        }
    }

    /// The lock file's path.
    public let path: String
    // The descriptor, nil once released, so releasing twice never closes a reused descriptor.
    private let descriptor: Mutex<Int32?>

    private init(path: String, fd: Int32) {
        self.path = path
        self.descriptor = Mutex(fd)
    }

    /// Returns the lock path beside a plan file.
    public static func path(forPlan planPath: String) -> String {
        SiblingFile.path(forPlan: planPath, suffix: ".lock")
    }

    /// Takes the lock beside a plan, or throws naming its holder.
    /// - Throws: `DecommissionError` with `apply.lock-held` or `io.failed`.
    public static func acquire(planPath: String, now: Date) throws -> PlanLock {
        let path = Self.path(forPlan: planPath)
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw AtomicFile.posixError("open the lock file '\(path)'") }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let reason = errno
            let holder = readHolder(fd)
            close(fd)
            guard reason == EWOULDBLOCK else {
                throw DecommissionError(code: .fileSystem, message: "Could not lock '\(path)': \(String(cString: strerror(reason))).")
            }
            let who = holder.map {
                "host \($0.host), pid \($0.pid), since \(ISO8601DateFormatter().string(from: $0.since))"
            } ?? "an unknown process"
            throw DecommissionError(
                code: .lockHeld,
                message: "Plan '\(planPath)' is locked by \(who); wait for that run to finish, or stop it.")
        }
        let holder = Holder(host: hostName(), pid: getpid(), since: now)
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
        return PlanLock(path: path, fd: fd)
    }

    /// Reads who holds the lock beside a plan, if anyone wrote it.
    public static func holder(planPath: String) -> Holder? {
        let fd = open(path(forPlan: planPath), O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        return readHolder(fd)
    }

    /// Releases the lock (also released when the process exits).
    public func release() {
        guard let fd = descriptor.withLock({ value -> Int32? in
            defer { value = nil }
            return value
        }) else { return }
        _ = ftruncate(fd, 0)
        _ = flock(fd, LOCK_UN)
        close(fd)
    }

    private static func readHolder(_ fd: Int32) -> Holder? {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        return try? JSONCoding.makeDecoder().decode(Holder.self, from: Data(buffer[0..<count]))
    }

    private static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "unknown" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
