import Foundation
import KMSAPI
import Testing

@testable import Decommission

struct ExecutorTests {
    @Test func cloudHSMStoreRunsToCompletionInSafeOrder() async throws {
        let world = try ExecutorWorld()
        defer { world.cleanUp() }
        let plan = try await world.makePlan(keyIDs: [keyID(1), keyID(2), keyID(3)])
        let report = try await world.applier().apply(
            planPath: world.planPath, options: ApplyOptions(wait: true, approveFingerprint: String(plan.fingerprint.prefix(12))))
        #expect(report.outcome == .done)
        let calls = await world.kms.calls
        let schedules = calls.indices.filter { calls[$0].hasPrefix("ScheduleKeyDeletion") }
        let disconnect = try #require(calls.firstIndex { $0.hasPrefix("DisconnectCustomKeyStore") })
        let delete = try #require(calls.firstIndex { $0.hasPrefix("DeleteCustomKeyStore") })
        #expect(schedules.count == 3)
        #expect(schedules.allSatisfy { $0 < disconnect })
        // Every key was seen gone (NotFound) before the disconnect, so none remained in the store.
        let lastKeyCheck = try #require(calls.lastIndex { $0.hasPrefix("DescribeKey") })
        #expect(lastKeyCheck < disconnect)
        #expect(await world.kms.keys.isEmpty)
        // Delete only after a poll saw DISCONNECTED.
        #expect(delete > disconnect)
        #expect(await world.kms.stores.isEmpty)
        let saved = try world.readPlan()
        #expect(saved.isComplete)
        #expect(saved.approval?.method == .fingerprint)
        #expect(try AuditLog.verify(path: AuditLog.path(forPlan: world.planPath)) == .ok(count: 5))
    }

    @Test func cloudHSMStoreStaysConnectedUntilItsLastKeyIsGone() async throws {
        let world = try ExecutorWorld()
        defer { world.cleanUp() }
        let plan = try await world.makePlan(keyIDs: [keyID(1), keyID(2)])
        let report = try await world.applier().apply(planPath: world.planPath, options: ApplyOptions(wait: true, approveFingerprint: plan.fingerprint))
        #expect(report.outcome == .done)
        #expect(await world.kms.violations.isEmpty)
    }

    @Test func externalKeyStoreRunsToCompletion() async throws {
        let world = try ExecutorWorld()
        defer { world.cleanUp() }
        let plan = try await world.makePlan(type: .external, keyIDs: [keyID(7)])
        let report = try await world.applier().apply(planPath: world.planPath, options: ApplyOptions(wait: true, approveFingerprint: plan.fingerprint))
        #expect(report.outcome == .done)
        #expect(await world.kms.mutatingCalls == [
            "ScheduleKeyDeletion \(keyID(7))", "DisconnectCustomKeyStore cks-1234567890abcdef0", "DeleteCustomKeyStore cks-1234567890abcdef0",
        ])
    }

    @Test func withoutWaitStopsWaitingAndResumeFinishes() async throws {
        let world = try ExecutorWorld()
        defer { world.cleanUp() }
        let plan = try await world.makePlan(keyIDs: [keyID(1)])
        let first = try await world.applier().apply(planPath: world.planPath, options: ApplyOptions(approveFingerprint: plan.fingerprint))
        let next = try #require(first.nextActionAt)
        #expect(next > world.time.now().addingTimeInterval(6 * 86_400))
        #expect(try world.readPlan().steps.contains { $0.action == .awaitDeletion && $0.status == .pending && $0.notBefore == next })

        let early = try await world.applier().apply(planPath: world.planPath, options: ApplyOptions(resume: true))
        #expect(early.outcome == .waiting(nextActionAt: next))
        world.time.advance(to: next)
        let last = try await world.applier().apply(planPath: world.planPath, options: ApplyOptions(resume: true))
        #expect(last.outcome == .done)
        #expect(await world.kms.mutatingCalls.filter { $0.hasPrefix("Schedule") }.count == 1)
    }

    @Test func alreadyPendingKeyIsNotRescheduled() async throws {
        let world = try ExecutorWorld()
        defer { world.cleanUp() }
        let plan = try await world.makePlan(keyIDs: [keyID(1), keyID(2)], keyStates: [keyID(2): .pendingDeletion])
        let report = try await world.applier().apply(planPath: world.planPath, options: ApplyOptions(wait: true, approveFingerprint: plan.fingerprint))
        #expect(report.outcome == .done)
        #expect(await !world.kms.calls.contains("ScheduleKeyDeletion \(keyID(2))"))
    }

    @Test func failedCallMarksStepFailedAndResumeRetries() async throws {
        let world = try ExecutorWorld()
        defer { world.cleanUp() }
        let plan = try await world.makePlan(keyIDs: [keyID(1)])
        await world.kms.fail(
            "ScheduleKeyDeletion \(keyID(1))",
            with: KMSError(code: .accessDenied, message: "Denied.", awsErrorType: "AccessDeniedException", requestID: "req-x"))
        let first = try await world.applier().apply(planPath: world.planPath, options: ApplyOptions(wait: true, approveFingerprint: plan.fingerprint))
        let failedID = try #require(plan.steps.first { $0.action == .scheduleDeletion }?.id)
        #expect(first.outcome == .failed(steps: [failedID]))
        let failed = try #require(try world.readPlan().steps.first { $0.id == failedID })
        #expect(failed.status == .failed)
        #expect(failed.error?.awsErrorType == "AccessDeniedException")
        #expect(failed.error?.requestID == "req-x")
        #expect(failed.attempts == 1)
        #expect(await !world.kms.calls.contains { $0.hasPrefix("Disconnect") })

        let second = try await world.applier().apply(planPath: world.planPath, options: ApplyOptions(resume: true, wait: true))
        #expect(second.outcome == .done)
        #expect(try world.readPlan().steps.first { $0.id == failedID }?.attempts == 2)
    }

    @Test func droppedConnectionIsReconciledNotRepeated() async throws {
        let world = try ExecutorWorld()
        defer { world.cleanUp() }
        let plan = try await world.makePlan(keyIDs: [keyID(1)])
        await world.kms.drop("ScheduleKeyDeletion \(keyID(1))")
        let report = try await world.applier().apply(planPath: world.planPath, options: ApplyOptions(wait: true, approveFingerprint: plan.fingerprint))
        #expect(report.outcome == .done)
        #expect(await world.kms.calls.filter { $0.hasPrefix("ScheduleKeyDeletion") }.count == 1)
    }

    @Test func checkpointBytesGrowLinearlyWithSteps() async throws {
        let world = try ExecutorWorld()
        defer { world.cleanUp() }
        let ids = (1...66).map(keyID)
        let plan = try await world.makePlan(keyIDs: ids, options: PlanOptions(pendingWindowDays: 7, observeDays: 1))
        #expect(plan.steps.count >= 200)
        let store = FileCheckpointStore(planPath: world.planPath)
        var loaded = try store.load()
        loaded.approval = Approval(approvedAt: world.time.now(), method: .fingerprint, fingerprint: plan.fingerprint, approvedBy: nil)
        try store.fold(loaded)
        let executor = Executor(plan: loaded, store: store, kms: world.kms, audit: nil, clock: world.clock, now: { [time = world.time] in time.now() })
        let report = try await executor.run(options: ApplyOptions(resume: true, wait: true))
        #expect(report.outcome == .done)
        let finalSize = try #require(try AtomicFile.read(world.planPath)).count
        #expect(store.totalBytesWritten < 12 * finalSize, "wrote \(store.totalBytesWritten) bytes for a \(finalSize)-byte plan")
    }

    @Test func spreadDeletionDatesDoNotRewriteThePlanAtEveryWake() async throws {
        let world = try ExecutorWorld()
        defer { world.cleanUp() }
        let plan = try await world.makePlan(keyIDs: (1...120).map(keyID))
        // Each ScheduleKeyDeletion takes a second of virtual time, so the deletion dates are spread
        // out and `--wait` wakes up once per key, as it does under a real request quota.
        await world.kms.setAfterCall { call, _ in
            if call.hasPrefix("ScheduleKeyDeletion") { world.time.advance(by: 1) }
        }
        let report = try await world.applier().apply(planPath: world.planPath, options: ApplyOptions(wait: true, approveFingerprint: plan.fingerprint))
        #expect(report.outcome == .done)
        let finalSize = try #require(try AtomicFile.read(world.planPath)).count
        #expect(report.checkpointBytesWritten <= 4 * finalSize, "wrote \(report.checkpointBytesWritten) bytes for a \(finalSize)-byte plan")
    }

    @Test func cancellationInterruptsAndKeepsProgress() async throws {
        let world = try ExecutorWorld()
        defer { world.cleanUp() }
        let plan = try await world.makePlan(keyIDs: [keyID(1)])
        let applier = world.applier()
        let path = world.planPath
        let task = Task { try await applier.apply(planPath: path, options: ApplyOptions(wait: true, approveFingerprint: plan.fingerprint)) }
        task.cancel()
        let report = try await task.value
        #expect(report.outcome == .interrupted)
        let resumed = try await world.applier().apply(planPath: world.planPath, options: ApplyOptions(resume: true, wait: true))
        #expect(resumed.outcome == .done)
        #expect(await world.kms.calls.filter { $0.hasPrefix("ScheduleKeyDeletion") }.count == 1)
    }
}
