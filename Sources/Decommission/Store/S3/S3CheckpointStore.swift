import Foundation
import KMSAPI
import Synchronization

/// The checkpoint store of a plan in S3: the plan object, written only `If-Match` the ETag this
/// store last read or wrote, and one small journal object per append (S3 has no append), created
/// with `If-None-Match: *`, replayed in key order on load and deleted once folded into the plan.
///
/// Before every durable append (the intent written before a change to KMS) it checks that the
/// plan object is still the one it read and that the lock's lease is held, so a run that lost
/// either changes nothing.
public final class S3CheckpointStore: CheckpointStore {
    private struct State {
        var planETag: S3ETag?
        /// Journal objects not yet folded, by number.
        var journal: [Int: String] = [:]
        var nextNumber = 1
        var journalBytes = 0
        var planBytes = 0
        var totalWritten = 0
        var lastSeq = 0
        var warnings: [String] = []
        var requests = 0
    }

    private let objects: any ObjectStore
    private let keys: S3PlanKeys
    private let location: String
    private let lease: @Sendable () -> S3LockLease?
    private let now: @Sendable () -> Date
    private let files = PlanFileStore()
    private let state = Mutex(State())

    /// - Parameter lease: the lease of this plan's lock once acquired (checked before changes).
    public init(
        objects: any ObjectStore, keys: S3PlanKeys, location: String, lease: @escaping @Sendable () -> S3LockLease? = { nil },
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.objects = objects
        self.keys = keys
        self.location = location
        self.lease = lease
        self.now = now
    }

    public func load() async throws -> Plan {
        guard let object = try await objects.get(keys.plan) else {
            throw DecommissionError(
                code: .unreadablePlan, message: "Plan '\(location)' does not exist; run 'decommission plan --out \(location)' first.")
        }
        var plan = try files.decode(object.body, path: location)
        let journalKeys = try await objects.list(prefix: keys.journalPrefix).compactMap { key in
            S3PlanKeys.number(of: key, under: keys.journalPrefix).map { ($0, key) }
        }
        var records: [JournalRecord] = []
        var warnings: [String] = []
        var journalBytes = 0
        for (_, key) in journalKeys {
            // A journal object listed but gone was folded and deleted by a run in between.
            guard let part = try await objects.get(key) else { continue }
            let contents = try Journal.decode(part.body, path: "\(objects.locationDescription)/\(key)")
            records += contents.records
            warnings += contents.warnings
            journalBytes += part.body.count
        }
        Journal.replay(records, onto: &plan)
        state.withLock {
            $0.planETag = object.etag
            $0.planBytes = object.body.count
            $0.journal = Dictionary(journalKeys, uniquingKeysWith: { first, _ in first })
            $0.nextNumber = max($0.nextNumber, (journalKeys.map(\.0).max() ?? 0) + 1)
            $0.journalBytes = journalBytes
            $0.lastSeq = max($0.lastSeq, records.map(\.seq).max() ?? 0)
            $0.warnings = warnings
            $0.requests += 2 + journalKeys.count
        }
        return plan
    }

    public func append(_ records: [JournalRecord], durable: Bool) async throws {
        guard !records.isEmpty else { return }
        if durable {
            try await lease()?.ensureHeld(at: now())
            try await checkPlanUnchanged()
        }
        let data = try Journal.encode(records)
        let number = state.withLock { state -> Int in
            defer { state.nextNumber += 1 }
            return state.nextNumber
        }
        let key = keys.journal(number)
        do {
            _ = try await objects.put(key, body: data, condition: .objectAbsent)
        } catch where isS3ConditionFailure(error) {
            throw changedElsewhere("another run wrote its journal object '\(key)' first")
        }
        state.withLock {
            $0.journal[number] = key
            $0.journalBytes += data.count
            $0.totalWritten += data.count
            $0.lastSeq = max($0.lastSeq, records.map(\.seq).max() ?? 0)
            $0.requests += 1
        }
    }

    public func fold(_ plan: Plan) async throws {
        let data = try files.encode(plan)
        let (etag, folded) = state.withLock { ($0.planETag, $0.journal) }
        let next: S3ETag
        do {
            next = try await objects.put(keys.plan, body: data, condition: etag.map { .etagMatches($0) } ?? .objectAbsent)
        } catch where isS3ConditionFailure(error) {
            throw changedElsewhere("the plan object was written by someone else since this run read it")
        }
        state.withLock {
            $0.planETag = next
            $0.planBytes = data.count
            $0.totalWritten += data.count
            $0.requests += 1
            for number in folded.keys { $0.journal[number] = nil }
            $0.journalBytes = 0
        }
        // The plan now holds everything those objects said. Oldest first, so what a crash leaves
        // is the newest ones, whose snapshots are what the plan already holds.
        for key in folded.values.sorted() {
            try await objects.delete(key, ifMatch: nil)
            state.withLock { $0.requests += 1 }
        }
    }

    /// Throws unless the plan object is still the version this store read or wrote.
    private func checkPlanUnchanged() async throws {
        let expected = state.withLock { $0.planETag }
        let current = try await objects.etag(keys.plan)
        state.withLock { $0.requests += 1 }
        guard current == expected else {
            throw changedElsewhere(current == nil ? "the plan object was deleted" : "the plan object was changed by someone else")
        }
    }

    private func changedElsewhere(_ what: String) -> DecommissionError {
        DecommissionError(
            code: .planChangedElsewhere,
            message: "Plan '\(location)': \(what); nothing more was changed in KMS. Find the other writer, then 'decommission status \(location)'.")
    }

    public var journalBytes: Int { state.withLock { $0.journalBytes } }
    public var planBytes: Int { state.withLock { $0.planBytes } }
    public var lastSeq: Int { state.withLock { $0.lastSeq } }
    public var loadWarnings: [String] { state.withLock { $0.warnings } }
    public var totalBytesWritten: Int { state.withLock { $0.totalWritten } }
    /// S3 requests this store has made (reads, writes, deletes), for the benchmark.
    public var requestCount: Int { state.withLock { $0.requests } }
}
