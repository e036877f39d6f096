import Foundation
import KMSAPI
import Synchronization

/// kms-local's CloudTrail: every answered KMS call as an event, served by `LookupEvents`.
///
/// Events become visible `lagSeconds` after they happen on the emulator clock (CloudTrail's
/// delivery delay). The lag is not divided by `--time-scale`: it is a delay of the trail, not a
/// simulated duration, and kms-local's timestamps are wall-clock times, so a test gives the
/// emulator and the tool the same figure. `/_kms_local/advance` moves past it without waiting.
final class CloudTrailLog: Sendable {
    private struct Storage {
        var events: [TrailEvent] = []
        var nextSeq = 1
        /// Each key's events, oldest first, by key id: a `ResourceName` lookup (the tool's sweep,
        /// one per key) reads only these instead of the whole trail, and holds the lock that every
        /// KMS call's `record` needs for a few events, not for 100,000.
        var byKey: [String: [TrailEvent]] = [:]
    }

    /// How many events the trail keeps; the oldest tenth goes when it is full.
    static let defaultCapacity = 100_000
    /// How long after its time an event appears in lookups, in seconds.
    let lagSeconds: TimeInterval
    private let capacity: Int
    private let storage = Mutex(Storage())

    init(lagSeconds: TimeInterval = 0, capacity: Int = CloudTrailLog.defaultCapacity) {
        self.lagSeconds = max(0, lagSeconds)
        self.capacity = max(1, capacity)
    }

    /// Appends an event, assigning its sequence number (the `seq` given is ignored).
    func record(_ event: TrailEvent) {
        storage.withLock { storage in
            var event = event
            event.seq = storage.nextSeq
            storage.nextSeq += 1
            storage.events.append(event)
            if let arn = event.resourceARN { storage.byKey[Self.keyID(arn), default: []].append(event) }
            // Drop the oldest tenth at once so trimming stays amortised O(1).
            if storage.events.count > capacity {
                storage.events.removeFirst(max(1, capacity / 10))
                let oldestKept = storage.events.first?.seq ?? storage.nextSeq
                storage.byKey = storage.byKey.compactMapValues { events in
                    let kept = events.drop { $0.seq < oldestKept }
                    return kept.isEmpty ? nil : Array(kept)
                }
            }
        }
    }

    /// Every event recorded so far, oldest first (for tests).
    var all: [TrailEvent] { storage.withLock { $0.events } }

    /// Answers one `LookupEvents` request at emulator time `now`, newest event first.
    func lookup(_ request: LookupEventsRequest, now: Date) throws(ServiceError) -> LookupEventsResponse {
        let filter = try LookupFilter(request)
        if request.eventCategory == "insight" { return LookupEventsResponse(events: [], nextToken: nil) }
        let limit = request.maxResults ?? LookupEvents.maxResultsLimit
        let after = try request.nextToken.map { (token) throws(ServiceError) in try Self.position(of: token, query: filter.hash) }
        let visibleUntil = now.addingTimeInterval(-lagSeconds)
        let oldest = now.addingTimeInterval(-LookupEvents.retention)
        let resourceKey = filter.attribute.flatMap { $0.attributeKey == .resourceName ? Self.keyID($0.attributeValue) : nil }
        var matches = storage.withLock { storage in
            (resourceKey.map { storage.byKey[$0] ?? [] } ?? storage.events).filter { event in
                event.time <= visibleUntil && event.time >= oldest && filter.matches(event)
                    && after.map { Self.isOlder(event, than: $0) } ?? true
            }
        }
        matches.sort { Self.isOlder($1, than: ($0.time, $0.seq)) }
        let page = matches.prefix(limit)
        let next = matches.count > limit ? page.last.map { Self.token(after: $0, query: filter.hash) } : nil
        return LookupEventsResponse(events: page.map { $0.lookupEntry() }, nextToken: next)
    }

    /// The key id a `ResourceName` names: the id after `key/` in an ARN, or the value itself
    /// (`LookupFilter.matches` still checks the exact name).
    private static func keyID(_ name: String) -> String {
        guard let range = name.range(of: ":key/", options: .backwards) else { return name }
        return String(name[range.upperBound...])
    }

    /// Newest first: later time, then later sequence number.
    private static func isOlder(_ event: TrailEvent, than position: (time: Date, seq: Int)) -> Bool {
        event.time < position.time || (event.time == position.time && event.seq < position.seq)
    }

    // MARK: - Tokens

    // A token names the last event returned and the query it belongs to, so a page boundary
    // stays put while newer events arrive, and a token reused with other filters is refused.
    private static func token(after event: TrailEvent, query: UInt64) -> String {
        // The time as Date stores it (since the reference date): a round trip through
        // timeIntervalSince1970 can move it by one ulp, and the boundary event would come again.
        let text = "ct1:\(event.time.timeIntervalSinceReferenceDate.bitPattern):\(event.seq):\(query)"
        return Data(text.utf8).base64EncodedString()
    }

    private static func position(of token: String, query: UInt64) throws(ServiceError) -> (time: Date, seq: Int) {
        let invalid = ServiceError(
            "InvalidNextTokenException", "Invalid NextToken; pass the NextToken of the previous answer with the same parameters.")
        guard let data = Data(base64Encoded: token) else { throw invalid }
        let parts = String(decoding: data, as: UTF8.self).split(separator: ":")
        guard parts.count == 4, parts[0] == "ct1", let bits = UInt64(parts[1]), let seq = Int(parts[2]),
            UInt64(parts[3]) == query
        else { throw invalid }
        return (Date(timeIntervalSinceReferenceDate: Double(bitPattern: bits)), seq)
    }
}
