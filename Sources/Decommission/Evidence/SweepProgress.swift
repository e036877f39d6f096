import Foundation

/// The checkpoint of a plan-time CloudTrail sweep: which plan it belongs to, each finished key's
/// summary, and the `NextToken` of each key in progress with the window it was read over.
///
/// A later `plan` with the same identity reuses it (see `reusable(_:for:)`); any other identity
/// starts over. It holds key ARNs and evidence only, never credentials.
public struct SweepProgress: Codable, Sendable, Equatable {
    /// What a progress file must match to be reused: the store, where KMS is, and the options
    /// that shape the evidence window. Key ARNs carry the account, so nothing from another
    /// account can match a key of this store either.
    public struct Identity: Codable, Sendable, Equatable {
        public var format: Int
        public var keyStoreID: String
        public var region: String
        public var endpoint: String
        public var minIdleDays: Double
        public var cloudTrailLagMinutes: Double

        public init(keyStoreID: String, region: String, endpoint: String, minIdleDays: Double, cloudTrailLagMinutes: Double) {
            self.format = 1
            self.keyStoreID = keyStoreID
            self.region = region
            self.endpoint = endpoint
            self.minIdleDays = minIdleDays
            self.cloudTrailLagMinutes = cloudTrailLagMinutes
        }
    }

    /// One key's saved sweep: its summary over a window and, while in progress, the token to go on from.
    public struct KeySweep: Codable, Sendable, Equatable {
        public var windowStart: Date
        public var windowEnd: Date
        public var requestedStart: Date
        public var attempts: [PrincipalUse]
        public var uses: [PrincipalUse]
        public var eventsRead: Int
        public var ownCalls: Int
        public var skipped: Int
        /// The `NextToken` after the last page folded in; nil once the key is finished.
        public var nextToken: String?

        public init(_ summary: KeyUseSummary, nextToken: String?) {
            windowStart = summary.window.start
            windowEnd = summary.window.end
            requestedStart = summary.window.requestedStart
            attempts = summary.attempts
            uses = summary.uses
            eventsRead = summary.eventsRead
            ownCalls = summary.ownCalls
            skipped = summary.skipped
            self.nextToken = nextToken
        }

        public var window: EvidenceWindow { EvidenceWindow(start: windowStart, end: windowEnd, requestedStart: requestedStart) }

        /// The summary saved, to fold more pages into.
        public func summary(keyARN: String) -> KeyUseSummary {
            KeyUseSummary(
                keyARN: keyARN, window: window, attempts: attempts, uses: uses, eventsRead: eventsRead, ownCalls: ownCalls,
                skipped: skipped)
        }
    }

    public var identity: Identity
    /// Per key ARN: finished keys (no token) and keys in progress (a token).
    public var keys: [String: KeySweep]

    public init(identity: Identity, keys: [String: KeySweep] = [:]) {
        self.identity = identity
        self.keys = keys
    }

    /// Whether a key's saved sweep may stand for part of a new run's window, and so only the gap
    /// after it is read.
    ///
    /// The rule: the window end moves forward with "now" between runs, and so does its start. A
    /// saved sweep is reused when it started no later than the new window starts (it covers the new
    /// start) and ended inside the new window (no later than its end, no earlier than its start).
    /// The run then reads only the gap from just after the saved end to the new end. The reused
    /// summary can hold events from before the new start (at most the time between the runs
    /// older): that is more evidence than a fresh sweep, never less. A saved sweep that ended
    /// before the new window starts, or one from a later window, is read again in full.
    public static func reusable(_ saved: KeySweep, for window: EvidenceWindow) -> Bool {
        saved.windowStart <= window.start && saved.windowEnd >= window.start && saved.windowEnd <= window.end
    }

    /// The part of `window` a reused sweep has not read: from one second after its end (CloudTrail
    /// event times are whole seconds, and the saved end is a whole second) to the new end.
    public static func gap(after saved: KeySweep, in window: EvidenceWindow) -> EvidenceWindow {
        EvidenceWindow(start: saved.windowEnd.addingTimeInterval(1), end: window.end, requestedStart: window.requestedStart)
    }
}
