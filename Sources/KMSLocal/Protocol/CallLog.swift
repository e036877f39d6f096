import Foundation
import Synchronization

/// The record of calls served at `GET /_kms_local/calls`, never holding secrets.
final class CallLog: Sendable {
    /// How one call ended.
    enum Outcome: String, Codable, Sendable {
        case ok, error, dropped
    }

    /// One logged call.
    struct Entry: Encodable, Sendable, Equatable {
        var seq: Int
        /// Formatted only when the log is read: formatting costs more than the rest of a call.
        var time: Date
        var operation: String
        var target: String?
        var outcome: Outcome
        var errorType: String?
        var requestID: String

        enum CodingKeys: String, CodingKey {
            case seq, time, operation, target, outcome, errorType, requestID = "requestId"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(seq, forKey: .seq)
            try container.encode(time.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true)), forKey: .time)
            try container.encode(operation, forKey: .operation)
            try container.encodeIfPresent(target, forKey: .target)
            try container.encode(outcome, forKey: .outcome)
            try container.encodeIfPresent(errorType, forKey: .errorType)
            try container.encode(requestID, forKey: .requestID)
        }
    }

    /// The JSON answer of the calls endpoint.
    struct Page: Encodable, Sendable {
        var calls: [Entry]
    }

    private struct Storage {
        var entries: [Entry] = []
        var nextSeq = 1
    }

    private let capacity: Int
    private let storage = Mutex(Storage())

    init(capacity: Int = 100_000) { self.capacity = max(1, capacity) }

    /// Appends a call and returns its sequence number.
    @discardableResult
    func record(
        time: Date, operation: String, target: String?, outcome: Outcome, errorType: String?, requestID: String
    ) -> Int {
        storage.withLock { storage in
            let seq = storage.nextSeq
            storage.nextSeq += 1
            storage.entries.append(
                Entry(seq: seq, time: time, operation: operation, target: target, outcome: outcome, errorType: errorType, requestID: requestID))
            // Drop the oldest tenth at once so trimming stays amortised O(1).
            if storage.entries.count > capacity { storage.entries.removeFirst(max(1, capacity / 10)) }
            return seq
        }
    }

    /// Returns the calls with a sequence number greater than `since`.
    func entries(since: Int) -> [Entry] {
        storage.withLock { storage in
            let start = storage.entries.firstIndex { $0.seq > since } ?? storage.entries.count
            return Array(storage.entries[start...])
        }
    }
}
