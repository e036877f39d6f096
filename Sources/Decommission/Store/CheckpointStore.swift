import Foundation
import Synchronization

/// Where an executor keeps a plan's progress: the plan file plus its journal.
public protocol CheckpointStore: Sendable {
    /// Reads the plan and replays its journal.
    func load() throws -> Plan
    /// Appends step transitions to the journal; `durable` fsyncs (an intent record).
    func append(_ records: [JournalRecord], durable: Bool) throws
    /// Writes the whole plan atomically and empties the journal.
    func fold(_ plan: Plan) throws
    /// Bytes in the journal since the last fold.
    var journalBytes: Int { get }
    /// Bytes of the plan file as last written or read.
    var planBytes: Int { get }
    /// The highest journal sequence number seen or written.
    var lastSeq: Int { get }
}

/// The file-backed checkpoint store: `NAME.json` (atomic writes) and `NAME.journal.jsonl`.
public final class FileCheckpointStore: CheckpointStore {
    /// Byte counters; a Mutex so the store is Sendable and shared by the executor and tests.
    private struct Counters {
        var journalBytes = 0
        var planBytes = 0
        var totalWritten = 0
        var lastSeq = 0
    }

    public let planPath: String
    private let journal: Journal
    private let files = PlanFileStore()
    private let counters = Mutex(Counters())

    public init(planPath: String) {
        self.planPath = planPath
        self.journal = Journal(path: Journal.path(forPlan: planPath))
    }

    public func load() throws -> Plan {
        var plan = try files.read(planPath)
        let records = try journal.read()
        Journal.replay(records, onto: &plan)
        let planSize = (try? files.encode(plan).count) ?? 0
        let journalSize = records.isEmpty ? 0 : ((try? Journal.encode(records).count) ?? 0)
        counters.withLock {
            $0.planBytes = planSize
            $0.journalBytes = journalSize
            $0.lastSeq = max($0.lastSeq, records.map(\.seq).max() ?? 0)
        }
        return plan
    }

    public func append(_ records: [JournalRecord], durable: Bool) throws {
        guard !records.isEmpty else { return }
        let written = try journal.append(records, durable: durable)
        counters.withLock {
            $0.journalBytes += written
            $0.totalWritten += written
            $0.lastSeq = max($0.lastSeq, records.map(\.seq).max() ?? 0)
        }
    }

    public func fold(_ plan: Plan) throws {
        let data = try files.encode(plan)
        try AtomicFile.write(data, to: planPath)
        // The plan now holds everything the journal said; a crash before truncating only
        // replays snapshots that are already in the plan.
        try journal.truncate()
        counters.withLock {
            $0.planBytes = data.count
            $0.journalBytes = 0
            $0.totalWritten += data.count
        }
    }

    public var journalBytes: Int { counters.withLock { $0.journalBytes } }
    public var planBytes: Int { counters.withLock { $0.planBytes } }
    public var lastSeq: Int { counters.withLock { $0.lastSeq } }
    /// Every byte this store has written (plan folds and journal lines), for the O(steps) check.
    public var totalBytesWritten: Int { counters.withLock { $0.totalWritten } }
}
