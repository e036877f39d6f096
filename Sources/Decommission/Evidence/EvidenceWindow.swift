import Foundation
import KMSAPI

/// The span of time a CloudTrail read covers: it ends `lag` before now (delivery delay) and
/// starts where asked, but never more than 90 days back (what `LookupEvents` keeps).
public struct EvidenceWindow: Sendable, Equatable {
    /// The first instant read.
    public var start: Date
    /// The last instant read: `now - lag`; events after it may not have arrived yet.
    public var end: Date
    /// Where the caller wanted the window to start.
    public var requestedStart: Date

    public init(start: Date, end: Date, requestedStart: Date) {
        self.start = start
        self.end = end
        self.requestedStart = requestedStart
    }

    /// The window for a read at `now`.
    /// - Parameters:
    ///   - requestedStart: `now - --min-idle-days` at plan time; the disable time during observation;
    ///     the scheduling time in a guard span.
    ///   - lag: the `--cloudtrail-lag` in seconds (negative counts as 0).
    ///   - retention: how far back events are kept (90 days).
    public static func make(
        now: Date, requestedStart: Date, lag: TimeInterval, retention: TimeInterval = LookupEvents.retention
    ) -> EvidenceWindow {
        let end = now.addingTimeInterval(-max(0, lag))
        let oldest = now.addingTimeInterval(-retention)
        return EvidenceWindow(start: max(requestedStart, oldest), end: end, requestedStart: requestedStart)
    }

    /// The window of the last `seconds` before now (plan time: `--min-idle-days`).
    public static func lookback(_ seconds: TimeInterval, now: Date, lag: TimeInterval) -> EvidenceWindow {
        make(now: now, requestedStart: now.addingTimeInterval(-max(0, seconds)), lag: lag)
    }

    /// Whether the 90-day limit cut the window short of what was asked.
    public var isLimitedByRetention: Bool { start > requestedStart }
    /// How much shorter than asked the window is because of that limit, in seconds.
    public var retentionShortfall: TimeInterval { max(0, start.timeIntervalSince(requestedStart)) }
    /// Whether there is nothing to read yet (the lag reaches back past the start).
    public var isEmpty: Bool { end <= start }
    /// The window's length in seconds (0 when empty).
    public var duration: TimeInterval { max(0, end.timeIntervalSince(start)) }

    /// Whether an event at `time` falls inside the window.
    public func contains(_ time: Date) -> Bool { !isEmpty && time >= start && time <= end }

    /// The `LookupEvents` request reading this window for one key.
    public func lookupRequest(keyARN: String) -> LookupEventsRequest {
        LookupEventsRequest(
            lookupAttributes: [LookupAttribute(.resourceName, keyARN)], startTime: start, endTime: end,
            maxResults: LookupEvents.maxResultsLimit)
    }
}
