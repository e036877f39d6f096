import Foundation

/// The CloudTrail evidence a plan was made with: the window read, how much was read, or why
/// nothing could be.
public struct EvidenceSummary: Codable, Sendable, Equatable {
    /// The first instant read (at most 90 days back).
    public var windowStart: Date
    /// The last instant read: the plan's time minus `--cloudtrail-lag`.
    public var windowEnd: Date
    /// Where `--min-idle-days` asked the window to start.
    public var requestedStart: Date
    /// Whether CloudTrail's 90-day limit made the window shorter than asked.
    public var limitedByRetention: Bool
    /// Keys whose events were read.
    public var keysRead: Int
    /// Events read over all keys.
    public var eventsRead: Int
    /// Why CloudTrail could not be read (AWS error and message); nil when it was.
    public var unavailableReason: String?

    public init(
        window: EvidenceWindow, keysRead: Int, eventsRead: Int, unavailableReason: String? = nil
    ) {
        self.windowStart = window.start
        self.windowEnd = window.end
        self.requestedStart = window.requestedStart
        self.limitedByRetention = window.isLimitedByRetention
        self.keysRead = keysRead
        self.eventsRead = eventsRead
        self.unavailableReason = unavailableReason
    }

    /// Whether CloudTrail was read.
    public var isAvailable: Bool { unavailableReason == nil }
}
