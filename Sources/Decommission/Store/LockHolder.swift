import Foundation

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
