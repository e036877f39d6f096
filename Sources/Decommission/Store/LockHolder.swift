import Foundation

/// Who holds a plan's lock, as recorded beside it.
public struct LockHolder: Codable, Sendable, Equatable {
    public var host: String
    public var pid: Int32
    public var since: Date
    /// Which runner (CI job, pod, host) holds it, when the lock records one (the S3 lock does).
    public var runner: String?
    /// When the holder's lease ends unless renewed (the S3 lock); nil for a file lock, which the
    /// kernel releases when its holder dies.
    public var leaseExpiresAt: Date?

    public init(host: String, pid: Int32, since: Date, runner: String? = nil, leaseExpiresAt: Date? = nil) {
        self.host = host
        self.pid = pid
        self.since = since
        self.runner = runner
        self.leaseExpiresAt = leaseExpiresAt
    }

    /// This process, on this host, from `since`.
    public static func current(since: Date) -> LockHolder {
        LockHolder(host: FilePlanLock.hostName(), pid: ProcessInfo.processInfo.processIdentifier, since: since)
    }

    /// "host H, pid P, since T", for messages.
    public var summary: String {
        let format = ISO8601DateFormatter()
        var text = "host \(host), pid \(pid)"
        if let runner { text += ", runner \(runner)" }
        text += ", since \(format.string(from: since))"
        if let leaseExpiresAt { text += ", lease until \(format.string(from: leaseExpiresAt))" }
        return text
    }
}
