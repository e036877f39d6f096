import Foundation

/// What GetKeyLastUsage proved about a key's use.
public struct UsageEvidence: Codable, Sendable, Equatable {
    /// How to read the evidence.
    public enum Verdict: String, Codable, Sendable {
        /// A successful cryptographic use is recorded (`lastUsedAt`).
        case used
        /// No use since creation: tracking began on or before the key was created.
        case neverUsed = "never-used"
        /// No use since tracking began, but the key is older than tracking: earlier use is possible.
        case unknownBeforeTracking = "unknown-before-tracking"
    }

    public var verdict: Verdict
    public var trackingStartDate: Date?
    public var lastUsedAt: Date?
    public var operation: String?
    public var kmsRequestID: String?

    public init(verdict: Verdict, trackingStartDate: Date?, lastUsedAt: Date? = nil, operation: String? = nil, kmsRequestID: String? = nil) {
        self.verdict = verdict
        self.trackingStartDate = trackingStartDate
        self.lastUsedAt = lastUsedAt
        self.operation = operation
        self.kmsRequestID = kmsRequestID
    }

    enum CodingKeys: String, CodingKey {
        case verdict, trackingStartDate, lastUsedAt, operation, kmsRequestID = "kmsRequestId"
    }
}
