import Foundation
import KMSAPI
import Testing

@testable import Decommission

struct CancellerTests {
    @Test func cancelMidWaitRestoresKeysAsTheyWere() async throws {
        let world = try ExecutorWorld()
        defer { world.cleanUp() }
        let plan = try await world.makePlan(
            keyIDs: [keyID(1), keyID(2), keyID(3)], keyStates: [keyID(2): .disabled, keyID(3): .pendingDeletion])
        _ = try await world.applier().apply(planPath: world.planPath, options: ApplyOptions(approveFingerprint: plan.fingerprint))
        #expect(await world.kms.keyState(keyID(1)) == .pendingDeletion)
        let report = try await world.canceller().cancel(planPath: world.planPath, reEnable: true)
        #expect(report.keys.map(\.outcome) == [.saved, .saved, .leftPending])
        #expect(await world.kms.keyState(keyID(1)) == .enabled)
        #expect(await world.kms.keyState(keyID(2)) == .disabled)
        #expect(await world.kms.keyState(keyID(3)) == .pendingDeletion)
        let saved = try world.readPlan()
        #expect(saved.cancellation?.completed == true)
        #expect(saved.cancellation?.leftPendingKeys == [keyID(3)])
        #expect(saved.steps.allSatisfy { $0.status.isFinished })
        #expect(PlanStatusReport.make(saved, now: world.time.now()).phase == .cancelled)
        #expect(try AuditLog.verify(path: AuditLog.path(forPlan: world.planPath)) == .ok(count: 5))

        // Safe to run again: nothing left to undo.
        let before = await world.kms.mutatingCalls.count
        _ = try await world.canceller().cancel(planPath: world.planPath, reEnable: true)
        #expect(await world.kms.mutatingCalls.count == before)
    }

    @Test func lostAnswersDuringRollbackAreCheckedNotFatal() async throws {
        let world = try ExecutorWorld()
        defer { world.cleanUp() }
        let plan = try await world.makePlan(keyIDs: [keyID(1), keyID(2)])
        _ = try await world.applier().apply(planPath: world.planPath, options: ApplyOptions(approveFingerprint: plan.fingerprint))
        // Applied, but the answer is lost: read back, not resent.
        await world.kms.drop("CancelKeyDeletion \(keyID(1))")
        // Refused before applying (an internal error): read back, then sent again.
        await world.kms.fail(
            "EnableKey \(keyID(2))",
            with: KMSError(code: .serviceUnavailable, message: "Internal.", awsErrorType: "KMSInternalException", retryability: .serverError))
        let report = try await world.canceller().cancel(planPath: world.planPath, reEnable: true)
        #expect(report.keys.map(\.outcome) == [.saved, .saved])
        #expect(await world.kms.keyState(keyID(1)) == .enabled)
        #expect(await world.kms.keyState(keyID(2)) == .enabled)
        let calls = await world.kms.calls
        #expect(calls.filter { $0 == "CancelKeyDeletion \(keyID(1))" }.count == 1)
        #expect(calls.filter { $0 == "EnableKey \(keyID(2))" }.count == 2)
    }

    @Test func cancelWithoutReEnableLeavesKeysDisabled() async throws {
        let world = try ExecutorWorld()
        defer { world.cleanUp() }
        let plan = try await world.makePlan(keyIDs: [keyID(1)])
        _ = try await world.applier().apply(planPath: world.planPath, options: ApplyOptions(approveFingerprint: plan.fingerprint))
        _ = try await world.canceller().cancel(planPath: world.planPath, reEnable: false)
        #expect(await world.kms.keyState(keyID(1)) == .disabled)
    }

    @Test func keysAlreadyDeletedAreReportedUnsavable() async throws {
        let world = try ExecutorWorld()
        defer { world.cleanUp() }
        let plan = try await world.makePlan(keyIDs: [keyID(1), keyID(2)])
        _ = try await world.applier().apply(planPath: world.planPath, options: ApplyOptions(approveFingerprint: plan.fingerprint))
        // keyID(1) was rescheduled for an earlier date by hand and is gone; keyID(2) is pending.
        await world.kms.setKeyState(keyID(1), .pendingDeletion, deletionDate: world.time.now().addingTimeInterval(60))
        world.time.advance(by: 3600)
        let report = try await world.canceller().cancel(planPath: world.planPath, reEnable: true)
        #expect(report.keys.map(\.outcome) == [.unsavable, .saved])
        #expect(report.plan.cancellation?.unsavableKeys == [keyID(1)])
        #expect(await world.kms.keyState(keyID(2)) == .enabled)
    }

    @Test func reEnableAfterDisconnectReconnectsFirst() async throws {
        let world = try ExecutorWorld()
        defer { world.cleanUp() }
        let plan = try await world.makePlan(keyIDs: [])
        _ = try await world.kms.disconnectStore(plan.target.keyStoreID)
        var progressed = try world.readPlan()
        progressed.steps[progressed.steps.firstIndex { $0.action == .disconnectStore } ?? 0].status = .done
        try PlanFileStore().write(progressed, to: world.planPath)
        world.time.advance(by: 60)
        _ = try await world.canceller().cancel(planPath: world.planPath, reEnable: true)
        #expect(await world.kms.storeState(plan.target.keyStoreID) == .connected)
    }
}
