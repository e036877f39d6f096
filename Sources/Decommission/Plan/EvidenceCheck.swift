import Foundation

/// One CloudTrail check made while applying (observation or guard): when, over which span, and
/// how much it read. Kept on the step it guards so `status` can show it.
public struct EvidenceCheck: Codable, Sendable, Equatable {
    public var checkedAt: Date
    /// The earliest start over the keys read (disable or scheduling time).
    public var windowStart: Date
    /// Up to when it looked: `checkedAt - --cloudtrail-lag`.
    public var windowEnd: Date
    public var keysRead: Int
    public var eventsRead: Int
    /// Failed calls found (0 when the check passed).
    public var attempts: Int

    public init(checkedAt: Date, windowStart: Date, windowEnd: Date, keysRead: Int, eventsRead: Int, attempts: Int) {
        self.checkedAt = checkedAt
        self.windowStart = windowStart
        self.windowEnd = windowEnd
        self.keysRead = keysRead
        self.eventsRead = eventsRead
        self.attempts = attempts
    }
}
