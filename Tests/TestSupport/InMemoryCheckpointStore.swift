import Decommission
import Foundation
import Synchronization

/// A checkpoint store in memory: the plan kept encoded (so a load decodes what was written, as a
/// file would), the journal as records, and a version that every write bumps, so a test can
/// change the plan "behind the executor's back" and see `checkpoint.changed-elsewhere`.
public final class InMemoryCheckpointStore: CheckpointStore {
    private struct State {
        var planData: Data?
        var journal: [JournalRecord] = []
        var version = 0
        var seenVersion: Int?
        var journalBytes = 0
        var totalWritten = 0
        var lastSeq = 0
        var durableAppends = 0
    }

    private let state = Mutex(State())
    private let files = PlanFileStore()

    /// An empty store; `put` a plan before loading.
    public init() {}

    /// Stores a plan as if another process wrote it (bumps the version).
    public func put(_ plan: Plan) throws {
        let data = try files.encode(plan)
        state.withLock {
            $0.planData = data
            $0.journal = []
            $0.version += 1
        }
    }

    /// The stored plan with the journal replayed, without touching this store's view.
    public func current() throws -> Plan {
        let (data, records) = state.withLock { ($0.planData, $0.journal) }
        guard let data else { throw DecommissionError(code: .unreadablePlan, message: "No plan is stored in memory.") }
        var plan = try files.decode(data, path: "memory")
        Journal.replay(records, onto: &plan)
        return plan
    }

    /// The journal records since the last fold.
    public var journal: [JournalRecord] { state.withLock { $0.journal } }
    /// How many appends asked to be durable.
    public var durableAppends: Int { state.withLock { $0.durableAppends } }

    public func load() throws -> Plan {
        let plan = try current()
        state.withLock {
            $0.seenVersion = $0.version
            $0.lastSeq = max($0.lastSeq, $0.journal.map(\.seq).max() ?? 0)
        }
        return plan
    }

    public func append(_ records: [JournalRecord], durable: Bool) throws {
        guard !records.isEmpty else { return }
        let bytes = try Journal.encode(records).count
        state.withLock {
            $0.journal += records
            $0.journalBytes += bytes
            $0.totalWritten += bytes
            $0.lastSeq = max($0.lastSeq, records.map(\.seq).max() ?? 0)
            if durable { $0.durableAppends += 1 }
        }
    }

    public func fold(_ plan: Plan) throws {
        let data = try files.encode(plan)
        try state.withLock { state in
            guard state.seenVersion == state.version else {
                throw DecommissionError(
                    code: .planChangedElsewhere, message: "The stored plan changed since this run read it; nothing was written. Run again to continue from it.")
            }
            state.planData = data
            state.journal = []
            state.version += 1
            state.seenVersion = state.version
            state.journalBytes = 0
            state.totalWritten += data.count
        }
    }

    public var journalBytes: Int { state.withLock { $0.journalBytes } }
    public var planBytes: Int { state.withLock { $0.planData?.count ?? 0 } }
    public var lastSeq: Int { state.withLock { $0.lastSeq } }
    public var loadWarnings: [String] { [] }
    public var totalBytesWritten: Int { state.withLock { $0.totalWritten } }
}
