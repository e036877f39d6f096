import Foundation

/// What CloudTrail showed about one key at plan time (absent in plans made without CloudTrail).
public struct KeyTrailEvidence: Codable, Sendable, Equatable {
    /// Events read for the key (evidence or not).
    public var eventsRead: Int
    /// Failed cryptographic or grant calls, per principal and operation.
    public var attempts: [PrincipalUse]
    /// Successful cryptographic or grant calls, per principal and operation.
    public var uses: [PrincipalUse]

    public init(eventsRead: Int, attempts: [PrincipalUse], uses: [PrincipalUse]) {
        self.eventsRead = eventsRead
        self.attempts = attempts
        self.uses = uses
    }

    /// The plan's record of a sweep's summary.
    public init(_ summary: KeyUseSummary) {
        self.init(eventsRead: summary.eventsRead, attempts: summary.attempts, uses: summary.uses)
    }

    /// The last successful use seen.
    public var lastUseAt: Date? { uses.map(\.lastTime).max() }
}
