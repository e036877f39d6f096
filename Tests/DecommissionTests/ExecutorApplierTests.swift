import Foundation
import KMSAPI
import Testing

@testable import Decommission

/// Approval, resume, lock, tamper and dry-run rules of `Applier`.
struct ApplierTests {
    private func code(_ body: () async throws -> Void) async -> DecommissionError.Code? {
        do {
            try await body()
            return nil
        } catch let error as DecommissionError {
            return error.code
        } catch {
            return nil
        }
    }

    @Test func tamperedPlanIsRefusedWithoutAnyCall() async throws {
        let world = try ExecutorWorld()
        defer { world.cleanUp() }
        var plan = try await world.makePlan(keyIDs: [keyID(1)])
        plan.options.pendingWindowDays = 30
        try PlanFileStore().write(plan, to: world.planPath)
        let code = await code { _ = try await world.applier().apply(planPath: world.planPath, options: ApplyOptions(approveFingerprint: plan.fingerprint)) }
        #expect(code == .tampered)
        #expect(await world.kms.calls.isEmpty)
    }

    @Test func approvalIsRequiredAndChecked() async throws {
        let world = try ExecutorWorld()
        defer { world.cleanUp() }
        let plan = try await world.makePlan(keyIDs: [keyID(1)])
        #expect(await code { _ = try await world.applier().apply(planPath: world.planPath, options: ApplyOptions()) } == .approvalRequired)
        #expect(await code { _ = try await world.applier().apply(planPath: world.planPath, options: ApplyOptions(approveFingerprint: "0123456789ab")) } == .approvalMismatch)
        #expect(await code { _ = try await world.applier().apply(planPath: world.planPath, options: ApplyOptions(approveFingerprint: String(plan.fingerprint.prefix(11)))) } == .approvalMismatch)
        let wrongPrompt = world.applier(approver: { _ in "cks-wrong" })
        #expect(await code { _ = try await wrongPrompt.apply(planPath: world.planPath, options: ApplyOptions()) } == .approvalMismatch)
        #expect(await world.kms.calls.isEmpty)
        #expect(try world.readPlan().approval == nil)

        let prompt = world.applier(approver: { plan in plan.target.keyStoreID })
        let report = try await prompt.apply(planPath: world.planPath, options: ApplyOptions())
        #expect(report.plan.approval?.method == .prompt)
    }

    @Test func startedPlanNeedsResume() async throws {
        let world = try ExecutorWorld()
        defer { world.cleanUp() }
        let plan = try await world.makePlan(keyIDs: [keyID(1)])
        _ = try await world.applier().apply(planPath: world.planPath, options: ApplyOptions(approveFingerprint: plan.fingerprint))
        #expect(await code { _ = try await world.applier().apply(planPath: world.planPath, options: ApplyOptions(approveFingerprint: plan.fingerprint)) } == .resumeRequired)
    }

    @Test func blockedPlanIsRefused() async throws {
        let world = try ExecutorWorld()
        defer { world.cleanUp() }
        var plan = try await world.makePlan(keyIDs: [keyID(1)])
        plan.findings.append(Finding(code: .storeFailed, severity: .block, keyID: nil, message: "Store failed."))
        plan.blocked = true
        try PlanFileStore().write(PlanFingerprint.sealed(plan), to: world.planPath)
        #expect(await code { _ = try await world.applier().apply(planPath: world.planPath, options: ApplyOptions(approveFingerprint: plan.fingerprint)) } == .planBlocked)
    }

    @Test func secondConcurrentApplyGetsLockHeld() async throws {
        let world = try ExecutorWorld()
        defer { world.cleanUp() }
        let plan = try await world.makePlan(keyIDs: [keyID(1)])
        let lease = try await FilePlanLock(planPath: world.planPath).acquire(as: .current(since: world.time.now()))
        #expect(await code { _ = try await world.applier().apply(planPath: world.planPath, options: ApplyOptions(approveFingerprint: plan.fingerprint)) } == .lockHeld)
        #expect(await world.kms.calls.isEmpty)
        await lease.release()
    }

    @Test func twoAppliesAtOnceOneIsRefused() async throws {
        let world = try ExecutorWorld()
        defer { world.cleanUp() }
        let plan = try await world.makePlan(keyIDs: (1...20).map(keyID))
        let applier = world.applier()
        let path = world.planPath
        async let first = code { _ = try await applier.apply(planPath: path, options: ApplyOptions(resume: true, wait: true, approveFingerprint: plan.fingerprint)) }
        async let second = code { _ = try await applier.apply(planPath: path, options: ApplyOptions(resume: true, wait: true, approveFingerprint: plan.fingerprint)) }
        let codes = await [first, second]
        // Either they overlapped (one lockHeld) or ran one after the other (second found it done).
        #expect(codes.contains(nil))
        #expect(await world.kms.calls.filter { $0.hasPrefix("ScheduleKeyDeletion \(keyID(1))") }.count == 1)
    }

    @Test func reportCountsCheckpointBytesWrittenDuringTheRun() async throws {
        let world = try ExecutorWorld()
        defer { world.cleanUp() }
        let plan = try await world.makePlan(keyIDs: (1...20).map(keyID))
        let report = try await world.applier().apply(
            planPath: world.planPath, options: ApplyOptions(wait: true, approveFingerprint: plan.fingerprint))
        #expect(report.outcome == .done)
        let finalBytes = try #require(try AtomicFile.read(world.planPath)).count
        // The approval fold and the final fold each write a whole plan; journal lines come on top.
        #expect(report.checkpointBytesWritten > finalBytes)
    }

    @Test func dryRunCallsNothingAndWritesNothing() async throws {
        let world = try ExecutorWorld()
        defer { world.cleanUp() }
        _ = try await world.makePlan(keyIDs: [keyID(1)])
        let before = try #require(try AtomicFile.read(world.planPath))
        let calls = try await world.applier().dryRun(planPath: world.planPath, options: ApplyOptions()).calls
        #expect(calls.first?.operation == "DescribeCustomKeyStores")
        #expect(calls.map(\.operation) == ["DescribeCustomKeyStores", "ListKeys+DescribeKey", "ScheduleKeyDeletion"])
        #expect(await world.kms.calls.isEmpty)
        #expect(try AtomicFile.read(world.planPath) == before)
        let siblings = try FileManager.default.contentsOfDirectory(atPath: world.directory)
        #expect(siblings == ["plan.json"])
    }

    /// A fresh plan's dry run shows the whole first run: every key's ScheduleKeyDeletion, in
    /// order, up to the wait for the first DeletionDate, as if each read answered as planned.
    @Test func dryRunListsEveryCallUpToTheNextWait() async throws {
        let world = try ExecutorWorld()
        defer { world.cleanUp() }
        let ids = (1...30).map(keyID)
        _ = try await world.makePlan(keyIDs: ids)
        let report = try await world.applier().dryRun(planPath: world.planPath, options: ApplyOptions())
        #expect(report.calls.filter { $0.operation == "ScheduleKeyDeletion" }.compactMap(\.keyID) == ids.sorted())
        #expect(report.calls.prefix(2).map(\.action) == [.verifyStore, .preflightRescan])
        #expect(report.calls.allSatisfy { $0.action != .awaitDeletion && $0.action != .disconnectStore })
        #expect(report.calls.filter(\.changesKMS).count == ids.count)
        // The next wait is the first key's DeletionDate (7 days) plus the grace before checking it.
        #expect(report.nextWaitAt == world.time.now().addingTimeInterval(7 * 86_400 + ExecutionState.deletionGrace))
        #expect(report.timeline == PlanTimeline.compute(try world.readPlan(), now: world.time.now()))
        #expect(await world.kms.calls.isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: world.directory) == ["plan.json"])
    }

    /// Observation is a wait: the dry run stops after the disables and says when it ends.
    @Test func dryRunStopsAtTheObservationWait() async throws {
        let world = try ExecutorWorld()
        defer { world.cleanUp() }
        _ = try await world.makePlan(keyIDs: [keyID(1), keyID(2)], options: PlanOptions(pendingWindowDays: 7, observeDays: 2))
        let report = try await world.applier().dryRun(planPath: world.planPath, options: ApplyOptions())
        #expect(report.calls.map(\.operation) == ["DescribeCustomKeyStores", "ListKeys+DescribeKey", "DisableKey", "DisableKey"])
        #expect(report.nextWaitAt == world.time.now().addingTimeInterval(2 * 86_400))
    }

    @Test func cancelledPlanRefusesApply() async throws {
        let world = try ExecutorWorld()
        defer { world.cleanUp() }
        let plan = try await world.makePlan(keyIDs: [keyID(1)])
        _ = try await world.canceller().cancel(planPath: world.planPath, reEnable: false)
        #expect(await code { _ = try await world.applier().apply(planPath: world.planPath, options: ApplyOptions(resume: true, approveFingerprint: plan.fingerprint)) } == .cancelled)
    }
}
