import Foundation
import KMSAPI
import Synchronization
import TestSupport
import Testing

@testable import Decommission

/// The S3 plan storage over an in-memory bucket with S3's conditional writes: the executor's
/// whole run, replay, optimistic concurrency on the plan, the lock lease and its takeover.
struct S3PlanStorageTests {
    static let location = "s3://plans-bucket/prod/cks-1234567890abcdef0.json"
    static let keys = S3PlanKeys(plan: "prod/cks-1234567890abcdef0.json")

    private struct Fixture {
        let world: ExecutorWorld
        let bucket: InMemoryObjectStore
        let storage: S3PlanStorage
        let plan: Plan

        func applier() -> Applier {
            Applier(kms: world.kms, storage: storage, clock: world.clock, now: { [time = world.time] in time.now() })
        }
    }

    /// The heartbeat sleeps on a manual clock that never moves, so renewals here are the executor's and the store's.
    private func fixture(keys count: Int = 2, lease: Duration = .seconds(300)) async throws -> Fixture {
        let world = try ExecutorWorld()
        let plan = try await world.makePlan(keyIDs: (1...count).map(keyID))
        try FileManager.default.removeItem(atPath: world.planPath)
        let bucket = InMemoryObjectStore()
        let settings = S3LockSettings(lease: lease, runner: "ci-job-7", clock: ManualClock(), now: { [time = world.time] in time.now() })
        let storage = S3PlanStorage(objects: bucket, lockSettings: settings)
        try await storage.writeNewPlan(plan, to: Self.location, force: false)
        return Fixture(world: world, bucket: bucket, storage: storage, plan: plan)
    }

    @Test func applyRunsToTheEndWithEveryChangeAuditedAndTheJournalFolded() async throws {
        let fixture = try await fixture(keys: 3)
        defer { fixture.world.cleanUp() }
        let report = try await fixture.applier().apply(
            planPath: Self.location, options: ApplyOptions(wait: true, approveFingerprint: fixture.plan.fingerprint))
        #expect(report.outcome == .done)
        let final = try await fixture.storage.checkpointStore(forPlan: Self.location).load()
        #expect(final.isComplete)
        #expect(fixture.bucket.keys.filter { $0.hasPrefix(Self.keys.journalPrefix) }.isEmpty)
        #expect(!fixture.bucket.keys.contains(Self.keys.lock))
        let verification = try await fixture.storage.verifyAudit(forPlan: Self.location)
        #expect(verification == .ok(count: await fixture.world.kms.mutatingCalls.count))
        // Checkpointing stays O(steps): every byte written over the run against the final plan's size.
        let planSize = try #require(fixture.bucket.body(Self.keys.plan)).count
        #expect(Double(report.checkpointBytesWritten) / Double(planSize) <= 4)
    }

    @Test func loadReplaysJournalObjectsInOrder() async throws {
        let fixture = try await fixture()
        defer { fixture.world.cleanUp() }
        let store = fixture.storage.checkpointStore(forPlan: Self.location)
        var step = try #require(try await store.load().steps.first)
        step.status = .running
        try await store.append([JournalRecord(seq: 1, time: fixture.world.time.now(), step: step)], durable: false)
        step.status = .done
        try await store.append([JournalRecord(seq: 2, time: fixture.world.time.now(), step: step)], durable: false)
        #expect(fixture.bucket.keys.filter { $0.hasPrefix(Self.keys.journalPrefix) } == [Self.keys.journal(1), Self.keys.journal(2)])
        let fresh = fixture.storage.checkpointStore(forPlan: Self.location)
        let replayed = try await fresh.load()
        #expect(replayed.steps.first?.status == .done)
        #expect(fresh.lastSeq == 2)
        // A fold writes the plan and removes what it folded.
        try await fresh.fold(replayed)
        #expect(fixture.bucket.keys.filter { $0.hasPrefix(Self.keys.journalPrefix) }.isEmpty)
        #expect(try await fixture.storage.checkpointStore(forPlan: Self.location).load().steps.first?.status == .done)
    }

    @Test func aPlanObjectWrittenByAnotherWriterStopsTheRunBeforeAnyChange() async throws {
        let fixture = try await fixture()
        defer { fixture.world.cleanUp() }
        let original = try #require(fixture.bucket.body(Self.keys.plan))
        let changed = Mutex(false)
        fixture.bucket.onRequest { [bucket = fixture.bucket] operation, key in
            // Someone writes the plan object just before the run's first write of it.
            guard operation == "PutObject", key == Self.keys.plan, !changed.withLock({ $0 }) else { return }
            changed.withLock { $0 = true }
            bucket.overwrite(key, body: original)
        }
        let error = try await #require(throws: DecommissionError.self) {
            _ = try await fixture.applier().apply(planPath: Self.location, options: ApplyOptions(approveFingerprint: fixture.plan.fingerprint))
        }
        #expect(error.code == .planChangedElsewhere)
        #expect(await fixture.world.kms.mutatingCalls.isEmpty)
    }

    @Test func aPlanObjectChangedDuringAResumedRunStopsItBeforeTheNextChange() async throws {
        let fixture = try await fixture()
        defer { fixture.world.cleanUp() }
        // Start the plan (it stops at its first wait), then resume while another writer replaces the plan.
        _ = try await fixture.applier().apply(planPath: Self.location, options: ApplyOptions(approveFingerprint: fixture.plan.fingerprint))
        let before = await fixture.world.kms.mutatingCalls.count
        let body = try #require(fixture.bucket.body(Self.keys.plan))
        fixture.bucket.onRequest { [bucket = fixture.bucket] operation, key in
            if operation == "HeadObject", key == Self.keys.plan { bucket.overwrite(key, body: body) }
        }
        fixture.world.time.advance(by: 8 * 86_400)
        let error = try await #require(throws: DecommissionError.self) {
            _ = try await fixture.applier().apply(planPath: Self.location, options: ApplyOptions(resume: true, wait: true))
        }
        #expect(error.code == .planChangedElsewhere)
        #expect(await fixture.world.kms.mutatingCalls.count == before)
    }

    @Test func aLiveLeaseIsRefusedNamingItsHolder() async throws {
        let fixture = try await fixture()
        defer { fixture.world.cleanUp() }
        let other = LockHolder(host: "runner-b", pid: 77, since: fixture.world.time.now(), runner: "gha-run-9")
        _ = try await fixture.storage.lock(forPlan: Self.location).acquire(as: other)
        let error = try await #require(throws: DecommissionError.self) {
            _ = try await fixture.applier().apply(planPath: Self.location, options: ApplyOptions(approveFingerprint: fixture.plan.fingerprint))
        }
        #expect(error.code == .lockHeld)
        #expect(error.lockHolder?.host == "runner-b")
        #expect(error.message.contains("host runner-b, pid 77, runner gha-run-9"))
        #expect(await fixture.world.kms.calls.isEmpty)
    }

    @Test func anExpiredLeaseIsTakenOverOnlyAfterItsExpiryAndAudited() async throws {
        let fixture = try await fixture(lease: .seconds(60))
        defer { fixture.world.cleanUp() }
        let dead = LockHolder(host: "runner-dead", pid: 13, since: fixture.world.time.now())
        _ = try await fixture.storage.lock(forPlan: Self.location).acquire(as: dead)
        fixture.world.time.advance(by: 59)
        let early = try await #require(throws: DecommissionError.self) {
            _ = try await fixture.storage.lock(forPlan: Self.location).acquire(as: .current(since: fixture.world.time.now()))
        }
        #expect(early.code == .lockHeld)
        fixture.world.time.advance(by: 2)
        let report = try await fixture.applier().apply(
            planPath: Self.location, options: ApplyOptions(wait: true, approveFingerprint: fixture.plan.fingerprint))
        #expect(report.outcome == .done)
        let first = try #require(fixture.bucket.body(Self.keys.audit(1)))
        let takeover = try JSONCoding.makeDecoder().decode(AuditRecord.self, from: first)
        #expect(takeover.operation == "TakeOverExpiredLock")
        #expect(takeover.detail?.contains("host runner-dead, pid 13") == true)
        #expect(try await fixture.storage.verifyAudit(forPlan: Self.location) == .ok(count: 1 + (await fixture.world.kms.mutatingCalls.count)))
    }

    @Test func exactlyOneOfRacingRunnersGetsTheLock() async throws {
        let fixture = try await fixture()
        defer { fixture.world.cleanUp() }
        let lock = fixture.storage.lock(forPlan: Self.location)
        let outcomes = await withTaskGroup(of: Bool.self) { group in
            for pid in 1...6 {
                group.addTask {
                    (try? await lock.acquire(as: LockHolder(host: "h\(pid)", pid: Int32(pid), since: Date()))) != nil
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(outcomes.filter { $0 }.count == 1)
    }

    @Test func aLeaseTakenOverElsewhereIsLostAndTheRunStops() async throws {
        let fixture = try await fixture()
        defer { fixture.world.cleanUp() }
        let lease = try await fixture.storage.lock(forPlan: Self.location).acquire(as: .current(since: fixture.world.time.now()))
        let thief = LockHolder(host: "runner-c", pid: 5, since: fixture.world.time.now())
        fixture.bucket.overwrite(Self.keys.lock, body: try JSONCoding.makeCompactEncoder().encode(thief))
        let error = try await #require(throws: DecommissionError.self) { try await lease.renew(at: fixture.world.time.now()) }
        #expect(error.code == .lockHeld)
        #expect(error.lockHolder?.host == "runner-c")
        // The store's check before a change refuses too, and the other holder's lock is left alone.
        let store = fixture.storage.checkpointStore(forPlan: Self.location)
        let step = try #require(try await store.load().steps.first)
        await #expect(throws: DecommissionError.self) {
            try await store.append([JournalRecord(seq: 1, time: fixture.world.time.now(), step: step)], durable: true)
        }
        await lease.release()
        #expect(fixture.bucket.body(Self.keys.lock) != nil)
    }

    @Test func aStartedPlanIsNotReplacedWithoutForce() async throws {
        let fixture = try await fixture()
        defer { fixture.world.cleanUp() }
        _ = try await fixture.applier().apply(planPath: Self.location, options: ApplyOptions(approveFingerprint: fixture.plan.fingerprint))
        let error = try await #require(throws: DecommissionError.self) {
            try await fixture.storage.writeNewPlan(fixture.plan, to: Self.location, force: false)
        }
        #expect(error.code == .planExists)
        try await fixture.storage.writeNewPlan(fixture.plan, to: Self.location, force: true)
        #expect(try await fixture.storage.checkpointStore(forPlan: Self.location).load().hasStarted == false)
    }
}
