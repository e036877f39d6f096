import Foundation
import Synchronization

/// The file-backed checkpoint store: `NAME.json` (atomic writes) and `NAME.journal.jsonl`.
///
/// The plan's lock keeps other writers out, so a fold never meets a plan changed behind its back.
public final class FileCheckpointStore: CheckpointStore {
    /// Byte counters; a Mutex so the store is Sendable and shared by the executor and tests.
    private struct Counters {
        var journalBytes = 0
        var planBytes = 0
        var totalWritten = 0
        var lastSeq = 0
        var warnings: [String] = []
    }

    public let planPath: String
    private let journal: Journal
    private let files = PlanFileStore()
    private let counters = Mutex(Counters())

    public init(planPath: String) {
        self.planPath = planPath
        self.journal = Journal(path: Journal.path(forPlan: planPath))
    }

    /// Reads the plan file and replays the journal beside it (read-only; no lock needed): the one
    /// place a plan file's progress is read.
    /// - Throws: `DecommissionError` with `checkpoint.*` or `io.failed`.
    public func read() throws -> Plan {
        try readWithJournal().plan
    }

    private func readWithJournal() throws -> (plan: Plan, journal: Journal.Contents) {
        var plan = try files.read(planPath)
        let contents = try journal.readContents()
        Journal.replay(contents.records, onto: &plan)
        return (plan, contents)
    }

    public func load() throws -> Plan {
        let (plan, contents) = try readWithJournal()
        let records = contents.records
        let planSize = (try? files.encode(plan).count) ?? 0
        let journalSize = records.isEmpty ? 0 : ((try? Journal.encode(records).count) ?? 0)
        counters.withLock {
            $0.planBytes = planSize
            $0.journalBytes = journalSize
            $0.lastSeq = max($0.lastSeq, records.map(\.seq).max() ?? 0)
            $0.warnings = contents.warnings
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
    public var loadWarnings: [String] { counters.withLock { $0.warnings } }
    public var totalBytesWritten: Int { counters.withLock { $0.totalWritten } }
}
