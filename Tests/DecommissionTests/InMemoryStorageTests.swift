import Foundation
import KMSAPI
import TestSupport
import Testing

@testable import Decommission

/// The executor and canceller run on injected storage: nothing touches the file system.
struct InMemoryStorageTests {
    private func world() async throws -> (ExecutorWorld, InMemoryPlanStorage, Plan) {
        let world = try ExecutorWorld()
        let plan = try await world.makePlan(keyIDs: [keyID(1), keyID(2)])
        try FileManager.default.removeItem(atPath: world.planPath)
        let storage = InMemoryPlanStorage()
        try storage.store("mem://plan").put(plan)
        return (world, storage, plan)
    }

    private func applier(_ world: ExecutorWorld, _ storage: InMemoryPlanStorage) -> Applier {
        Applier(kms: world.kms, storage: storage, clock: world.clock, now: { [time = world.time] in time.now() })
    }

    @Test func applyRunsToTheEndInMemoryAndAuditsEveryChange() async throws {
        let (world, storage, plan) = try await world()
        defer { world.cleanUp() }
        let report = try await applier(world, storage).apply(
            planPath: "mem://plan", options: ApplyOptions(wait: true, approveFingerprint: plan.fingerprint))
        #expect(report.outcome == .done)
        #expect(try storage.store("mem://plan").current().isComplete)
        #expect(try FileManager.default.contentsOfDirectory(atPath: world.directory).isEmpty)
        let trail = try #require(storage.trail("mem://plan")).all
        #expect(trail.map(\.operation) == (await world.kms.mutatingCalls).map { String($0.split(separator: " ")[0]) })
        #expect(zip(trail.dropFirst(), trail).allSatisfy { $0.prevHash == $1.hash })
        #expect(storage.store("mem://plan").durableAppends > 0)
        #expect(storage.planLock("mem://plan").currentHolder == nil)
    }

    @Test func heldLockIsRefusedNamingTheHolderAndNothingIsCalled() async throws {
        let (world, storage, plan) = try await world()
        defer { world.cleanUp() }
        let other = LockHolder(host: "bastion-2", pid: 4242, since: Date(timeIntervalSince1970: 1_700_000_000))
        _ = try storage.planLock("mem://plan").acquire(as: other)
        let error = try await #require(throws: DecommissionError.self) {
            _ = try await applier(world, storage).apply(planPath: "mem://plan", options: ApplyOptions(approveFingerprint: plan.fingerprint))
        }
        #expect(error.code == .lockHeld)
        #expect(error.lockHolder == other)
        #expect(error.message.contains("host bastion-2, pid 4242"))
        #expect(await world.kms.calls.isEmpty)
    }

    @Test func aPlanChangedBehindTheRunsBackIsNotOverwritten() async throws {
        let (world, storage, plan) = try await world()
        defer { world.cleanUp() }
        let store = storage.store("mem://plan")
        await world.kms.setAfterCall { call, _ in
            // Someone else writes the plan while the run is between its load and its first fold.
            if call.hasPrefix("DescribeCustomKeyStores") { try? store.put(plan) }
        }
        let error = try await #require(throws: DecommissionError.self) {
            _ = try await applier(world, storage).apply(planPath: "mem://plan", options: ApplyOptions(approveFingerprint: plan.fingerprint))
        }
        #expect(error.code == .planChangedElsewhere)
        // The other writer's plan (never approved) stands; the run's approval was not written over it.
        #expect(try store.current().approval == nil)
    }
}
