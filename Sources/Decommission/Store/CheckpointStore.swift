import Foundation

/// Where an executor keeps a plan's progress: the plan itself plus a journal of step transitions.
///
/// The file store keeps `NAME.json` and `NAME.journal.jsonl`; an object store would keep the plan
/// as one object written with a precondition (ETag/If-Match) and each `append` as a small object.
/// Every method may suspend, so such a backend needs no change to the executor.
public protocol CheckpointStore: Sendable {
    /// Reads the plan and replays its journal over it: the one way a plan's progress is read.
    /// - Throws: `DecommissionError` with `checkpoint.*` or `io.failed`.
    func load() async throws -> Plan
    /// Appends step transitions to the journal; `durable` returns only once they are stored
    /// for good (an intent record, written before the call that changes KMS).
    /// - Throws: `DecommissionError` with `io.failed`.
    func append(_ records: [JournalRecord], durable: Bool) async throws
    /// Writes the whole plan and empties the journal.
    /// - Throws: `DecommissionError` with `checkpoint.changed-elsewhere` when the stored plan was
    ///   changed by someone else since this store last read or wrote it (nothing is written), or
    ///   `io.failed`.
    func fold(_ plan: Plan) async throws
    /// Bytes in the journal since the last fold.
    var journalBytes: Int { get }
    /// Bytes of the plan as last written or read.
    var planBytes: Int { get }
    /// The highest journal sequence number seen or written.
    var lastSeq: Int { get }
    /// What the last `load` had to drop to read the progress (a damaged final journal record),
    /// in words for people; empty when nothing was.
    var loadWarnings: [String] { get }
    /// Every byte this store has written (plan folds and journal records), for the O(steps) check.
    var totalBytesWritten: Int { get }
}
