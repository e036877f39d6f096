import Foundation
import KMSAPI
import TestSupport
import Testing

@testable import Decommission

/// The S3 lock's lease on an injected clock: the heartbeat, the renewal before a change, and a
/// runner that outlived its lease being refused once another took the lock over.
struct S3LockLeaseTests {
    static let location = "s3://plans-bucket/p.json"
    static let keys = S3PlanKeys(plan: "p.json")

    private struct Fixture {
        let world: ExecutorWorld
        let bucket = InMemoryObjectStore()
        let clock = ManualClock()
        let storage: S3PlanStorage
        let step: Step

        init() async throws {
            world = try ExecutorWorld()
            let plan = try await world.makePlan(keyIDs: [keyID(1)])
            storage = S3PlanStorage(
                objects: bucket,
                lockSettings: S3LockSettings(lease: .seconds(90), runner: "runner-a", clock: clock, now: { [time = world.time] in time.now() }))
            try await storage.writeNewPlan(plan, to: S3LockLeaseTests.location, force: false)
            step = try #require(plan.steps.first)
        }

        func lockRecord() throws -> LockHolder? {
            try bucket.body(S3LockLeaseTests.keys.lock).map { try JSONCoding.makeDecoder().decode(LockHolder.self, from: $0) }
        }

        func record(_ seq: Int) -> JournalRecord { JournalRecord(seq: seq, time: world.time.now(), step: step) }
    }

    @Test func theHeartbeatRenewsTheLeaseEveryThirdOfItUntilReleased() async throws {
        let fixture = try await Fixture()
        defer { fixture.world.cleanUp() }
        let lease = try await fixture.storage.lock(forPlan: Self.location).acquire(as: .current(since: fixture.world.time.now()))
        #expect(try fixture.lockRecord()?.leaseExpiresAt == fixture.world.time.now().addingTimeInterval(90))
        #expect(try fixture.lockRecord()?.runner == "runner-a")
        await fixture.clock.waitForSleepers(1)
        fixture.world.time.advance(by: 30)
        fixture.clock.advance(by: .seconds(30))
        // The heartbeat sleeps again once it has renewed.
        await fixture.clock.waitForSleepers(1)
        #expect(try fixture.lockRecord()?.leaseExpiresAt == fixture.world.time.now().addingTimeInterval(90))
        await lease.release()
        #expect(try fixture.lockRecord() == nil)
    }

    @Test func aChangeRenewsTheLeaseFirstOnceHalfOfItIsUsed() async throws {
        let fixture = try await Fixture()
        defer { fixture.world.cleanUp() }
        let lease = try await fixture.storage.lock(forPlan: Self.location).acquire(as: .current(since: fixture.world.time.now()))
        let store = fixture.storage.checkpointStore(forPlan: Self.location)
        _ = try await store.load()
        fixture.world.time.advance(by: 50)
        let before = fixture.bucket.requests.count
        try await store.append([fixture.record(1)], durable: true)
        let made = fixture.bucket.requests.dropFirst(before)
        #expect(made.first == "PutObject \(Self.keys.lock)")
        #expect(made.last == "PutObject \(Self.keys.journal(1))")
        #expect(try fixture.lockRecord()?.leaseExpiresAt == fixture.world.time.now().addingTimeInterval(90))
        // With more than half of it left, a change does not renew it.
        fixture.world.time.advance(by: 10)
        let again = fixture.bucket.requests.count
        try await store.append([fixture.record(2)], durable: true)
        #expect(!fixture.bucket.requests.dropFirst(again).contains("PutObject \(Self.keys.lock)"))
        await lease.release()
    }

    @Test func aRunnerThatOutlivedItsLeaseIsRefusedItsNextChangeOnceTakenOver() async throws {
        let fixture = try await Fixture()
        defer { fixture.world.cleanUp() }
        let stale = try await fixture.storage.lock(forPlan: Self.location).acquire(as: .current(since: fixture.world.time.now()))
        let store = fixture.storage.checkpointStore(forPlan: Self.location)
        _ = try await store.load()
        // The holder stalls past its lease (its heartbeat never ran); another runner takes the lock over.
        fixture.world.time.advance(by: 91)
        let otherStorage = S3PlanStorage(
            objects: fixture.bucket,
            lockSettings: S3LockSettings(runner: "runner-b", clock: ManualClock(), now: { [time = fixture.world.time] in time.now() }))
        let taken = try await otherStorage.lock(forPlan: Self.location).acquire(as: LockHolder(host: "b", pid: 2, since: fixture.world.time.now()))
        let error = try await #require(throws: DecommissionError.self) {
            try await store.append([fixture.record(1)], durable: true)
        }
        #expect(error.code == .lockHeld)
        #expect(error.lockHolder?.runner == "runner-b")
        #expect(!fixture.bucket.keys.contains(Self.keys.journal(1)))
        await stale.release()
        #expect(try fixture.lockRecord()?.runner == "runner-b")
        await taken.release()
    }
}
