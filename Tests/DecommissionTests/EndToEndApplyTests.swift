import Foundation
import KMSAPI
import KMSLocal
import TestSupport
import Testing

@testable import Decommission

/// The executor against an in-process kms-local over real HTTP and SigV4, with time scaled so
/// seven days pass in about two seconds; the waits are the executor's own, on `ContinuousClock`.
struct EndToEndApplyTests {
    // MARK: - Runs to completion

    @Test func cloudHSMStoreRunsToCompletionWithWait() async throws {
        let storeID = "cks-e2e0000000000001"
        let keys = [(e2eKeyID(1, 1), KeyState.enabled), (e2eKeyID(1, 2), .enabled), (e2eKeyID(1, 3), .disabled), (e2eKeyID(1, 4), .pendingDeletion)]
        let harness = try KMSLocalHarness(seed: .cloudHSM(storeID: storeID, keys: keys, now: Date()))
        defer { harness.stop() }
        let plan = try await harness.makePlan(storeID: storeID)
        // The pre-pending key may be gone already on a loaded machine; every other key is planned.
        #expect(Set(keys.filter { $0.1 != .pendingDeletion }.map(\.0)).isSubset(of: plan.keys.map(\.keyID)))
        #expect(!plan.blocked)

        let report = try await harness.applier().apply(
            planPath: harness.planPath, options: ApplyOptions(wait: true, approveFingerprint: plan.fingerprint))

        #expect(report.outcome == .done)
        try await expectOrderlyDecommission(harness, storeID: storeID, keyIDs: keys.map(\.0), prePending: [e2eKeyID(1, 4)])
    }

    @Test func externalStoreRunsToCompletionWithWait() async throws {
        let storeID = "cks-e2e0000000000002"
        let keys = [(e2eKeyID(2, 1), KeyState.enabled), (e2eKeyID(2, 2), .disabled), (e2eKeyID(2, 3), .enabled)]
        let harness = try KMSLocalHarness(seed: .external(storeID: storeID, keys: keys, now: Date()))
        defer { harness.stop() }
        let plan = try await harness.makePlan(storeID: storeID)
        #expect(plan.target.keyStoreType == "EXTERNAL_KEY_STORE")

        let report = try await harness.applier().apply(
            planPath: harness.planPath, options: ApplyOptions(wait: true, approveFingerprint: plan.fingerprint))

        #expect(report.outcome == .done)
        try await expectOrderlyDecommission(harness, storeID: storeID, keyIDs: keys.map(\.0), prePending: [])
    }

    @Test func runWithoutWaitReturnsWaitingAndResumeFinishes() async throws {
        let storeID = "cks-e2e0000000000003"
        let keys = [(e2eKeyID(3, 1), KeyState.enabled), (e2eKeyID(3, 2), .enabled), (e2eKeyID(3, 3), .pendingDeletion)]
        let harness = try KMSLocalHarness(seed: .cloudHSM(storeID: storeID, keys: keys, now: Date()))
        defer { harness.stop() }
        let plan = try await harness.makePlan(storeID: storeID)

        let first = try await harness.applier().apply(
            planPath: harness.planPath, options: ApplyOptions(approveFingerprint: plan.fingerprint, inlineWaitLimit: .zero))

        let next = try #require(first.nextActionAt)
        #expect(next > Date())
        let afterFirst = try harness.readPlan()
        #expect(afterFirst.steps.filter { $0.action == .scheduleDeletion }.allSatisfy { $0.status == .done })
        #expect(afterFirst.steps.first { $0.action == .disconnectStore }?.status == .pending)
        // The pre-pending key may already be gone (its date is near); the scheduled ones wait.
        for (id, state) in keys where state != .pendingDeletion { #expect(try await harness.keyState(id) == .pendingDeletion) }

        let resumed = try await harness.applier().apply(planPath: harness.planPath, options: ApplyOptions(resume: true, wait: true))

        #expect(resumed.outcome == .done)
        try await expectOrderlyDecommission(harness, storeID: storeID, keyIDs: keys.map(\.0), prePending: [e2eKeyID(3, 3)])
    }

    // MARK: - Drift

    @Test func newKeyInStoreAfterPlanningBlocksBeforeAnyChange() async throws {
        let storeID = "cks-e2e0000000000004"
        let keys = [(e2eKeyID(4, 1), KeyState.enabled), (e2eKeyID(4, 2), .enabled)]
        let harness = try KMSLocalHarness(seed: .cloudHSM(storeID: storeID, keys: keys, now: Date()))
        defer { harness.stop() }
        let plan = try await harness.makePlan(storeID: storeID)
        let created = try await harness.client.createKey(CreateKeyRequest(origin: .cloudHSM, customKeyStoreID: storeID))
        let newKeyID = try #require(created.keyMetadata?.keyID)
        let driftSeq = try await harness.lastSeq()

        let report = try await harness.applier().apply(
            planPath: harness.planPath, options: ApplyOptions(wait: true, approveFingerprint: plan.fingerprint))

        guard case .blocked(let drift) = report.outcome else {
            Issue.record("expected blocked, got \(report.outcome)")
            return
        }
        #expect(drift.contains { $0.kind == .newKey && $0.keyID == newKeyID })
        try await expectNoChangeAfter(driftSeq, harness)
        for (id, state) in keys { #expect(try await harness.keyState(id) == state) }
    }

    @Test func deletionCancelledMidWaitBlocks() async throws {
        let storeID = "cks-e2e0000000000005"
        let keys = [(e2eKeyID(5, 1), KeyState.enabled), (e2eKeyID(5, 2), .enabled), (e2eKeyID(5, 3), .disabled)]
        let harness = try KMSLocalHarness(seed: .cloudHSM(storeID: storeID, keys: keys, now: Date()))
        defer { harness.stop() }
        let plan = try await harness.makePlan(storeID: storeID)
        let first = try await harness.applier().apply(
            planPath: harness.planPath, options: ApplyOptions(approveFingerprint: plan.fingerprint, inlineWaitLimit: .zero))
        #expect(first.nextActionAt != nil)

        let saved = e2eKeyID(5, 2)
        _ = try await harness.client.cancelKeyDeletion(saved)
        let driftSeq = try await harness.lastSeq()
        let resumed = try await harness.applier().apply(planPath: harness.planPath, options: ApplyOptions(resume: true, wait: true))

        guard case .blocked(let drift) = resumed.outcome else {
            Issue.record("expected blocked, got \(resumed.outcome)")
            return
        }
        #expect(drift.contains { $0.kind == .deletionCancelled && $0.keyID == saved })
        try await expectNoChangeAfter(driftSeq, harness)
        #expect(try await harness.keyState(saved) == .disabled)
        #expect(try harness.readPlan().steps.first { $0.action == .disconnectStore }?.status == .pending)
    }

    @Test func keyReEnabledDuringObservationBlocks() async throws {
        let storeID = "cks-e2e0000000000006"
        let keys = [(e2eKeyID(6, 1), KeyState.enabled), (e2eKeyID(6, 2), .enabled)]
        let harness = try KMSLocalHarness(seed: .cloudHSM(storeID: storeID, keys: keys, now: Date()))
        defer { harness.stop() }
        // Two and a half seconds of observation: long enough to re-enable a key in between.
        let plan = try await harness.makePlan(storeID: storeID, options: PlanOptions(pendingWindowDays: 7, observeDays: 2.5 / 86_400))
        let first = try await harness.applier().apply(
            planPath: harness.planPath, options: ApplyOptions(approveFingerprint: plan.fingerprint, inlineWaitLimit: .zero))
        #expect(first.nextActionAt != nil)
        for (id, _) in keys { #expect(try await harness.keyState(id) == .disabled) }

        let reEnabled = e2eKeyID(6, 1)
        try await harness.client.enableKey(reEnabled)
        let driftSeq = try await harness.lastSeq()
        let resumed = try await harness.applier().apply(planPath: harness.planPath, options: ApplyOptions(resume: true, wait: true))

        guard case .blocked(let drift) = resumed.outcome else {
            Issue.record("expected blocked, got \(resumed.outcome)")
            return
        }
        #expect(drift.contains { $0.kind == .keyReEnabled && $0.keyID == reEnabled })
        try await expectNoChangeAfter(driftSeq, harness)
        #expect(try await harness.calls().allSatisfy { $0.operation != "ScheduleKeyDeletion" })
    }

    // MARK: - Cancel

    @Test func cancelMidWaitWithReEnableRestoresStatesAndRefusesApply() async throws {
        let storeID = "cks-e2e0000000000007"
        let keys = [(e2eKeyID(7, 1), KeyState.enabled), (e2eKeyID(7, 2), .disabled), (e2eKeyID(7, 3), .pendingDeletion)]
        // Thirty-day windows (about nine seconds) leave ample time to cancel; nothing waits them out.
        let harness = try KMSLocalHarness(seed: .cloudHSM(storeID: storeID, keys: keys, prePendingIn: 60, now: Date()))
        defer { harness.stop() }
        let plan = try await harness.makePlan(storeID: storeID, options: PlanOptions(pendingWindowDays: 30))
        let first = try await harness.applier().apply(
            planPath: harness.planPath, options: ApplyOptions(approveFingerprint: plan.fingerprint, inlineWaitLimit: .zero))
        #expect(first.nextActionAt != nil)

        let report = try await harness.canceller().cancel(planPath: harness.planPath, reEnable: true)

        #expect(try await harness.keyState(e2eKeyID(7, 1)) == .enabled)
        #expect(try await harness.keyState(e2eKeyID(7, 2)) == .disabled)
        #expect(try await harness.keyState(e2eKeyID(7, 3)) == .pendingDeletion)
        #expect(report.keys.first { $0.keyID == e2eKeyID(7, 3) }?.outcome == .leftPending)
        #expect(Set(report.plan.cancellation?.savedKeys ?? []) == [e2eKeyID(7, 1), e2eKeyID(7, 2)])
        let afterCancel = try await harness.lastSeq()
        let error = try await #require(throws: DecommissionError.self) {
            try await harness.applier().apply(planPath: harness.planPath, options: ApplyOptions(resume: true, wait: true))
        }
        #expect(error.code == .cancelled)
        #expect(try await harness.lastSeq() == afterCancel)
    }

    // MARK: - Call-log checks

    /// Checks the documented order in kms-local's call log and the final states.
    private func expectOrderlyDecommission(_ harness: KMSLocalHarness, storeID: String, keyIDs: [String], prePending: Set<String>) async throws {
        let calls = try await harness.calls()
        let disconnects = calls.filter { $0.operation == "DisconnectCustomKeyStore" }
        let deletes = calls.filter { $0.operation == "DeleteCustomKeyStore" }
        let disconnect = try #require(disconnects.first, "no DisconnectCustomKeyStore in \(calls)")
        #expect(disconnects.count == 1 && disconnect.outcome == "ok")
        // kms-local refuses DeleteCustomKeyStore unless DISCONNECTED: one call, answered ok, proves the order.
        #expect(deletes.count == 1 && deletes.first?.outcome == "ok", "\(deletes)")
        #expect((deletes.first?.seq ?? 0) > disconnect.seq)
        #expect(!calls.contains { $0.operation == "ConnectCustomKeyStore" })

        let plan = try harness.readPlan()
        let planned = Set(plan.keys.map(\.keyID))
        for keyID in keyIDs {
            let schedules = calls.filter { $0.operation == "ScheduleKeyDeletion" && $0.concerns(keyID) }
            guard planned.contains(keyID) else {
                // Only a key already pending deletion can have vanished before planning.
                #expect(prePending.contains(keyID) && schedules.isEmpty, "key \(keyID) missing from the plan")
                continue
            }
            if prePending.contains(keyID) {
                #expect(schedules.isEmpty, "pre-pending key \(keyID) was rescheduled")
            } else {
                #expect(schedules.count == 1 && schedules.first?.outcome == "ok", "\(keyID): \(schedules)")
                #expect(schedules.allSatisfy { $0.seq < disconnect.seq })
            }
            // The store stays CONNECTED until the last key is gone: each key read NotFound before the disconnect.
            let gone = calls.first { $0.operation == "DescribeKey" && $0.concerns(keyID) && $0.errorType == "NotFoundException" }
            #expect((gone?.seq ?? .max) < disconnect.seq, "key \(keyID) not seen deleted before the disconnect")
        }
        #expect(plan.isComplete)
        #expect(plan.steps.first { $0.action == .awaitStoreDisconnected }?.result?.connectionState == "DISCONNECTED")
        // Each key's DeletionDate (learned by scheduling, or kept from planning) passed before the disconnect.
        for keyID in keyIDs where planned.contains(keyID) {
            let scheduled = plan.steps.first { $0.action == .scheduleDeletion && $0.keyID == keyID }?.result?.deletionDate
            let deletionDate = try #require(scheduled ?? plan.keys.first { $0.keyID == keyID }?.deletionDate)
            #expect(deletionDate <= (disconnect.date ?? .distantPast))
        }
        #expect(try await harness.gateway.describeStoreIfPresent(storeID) == nil)
        for keyID in keyIDs { #expect(try await harness.keyState(keyID) == nil) }
    }

    /// Checks that nothing changed KMS after the drift was introduced at `seq`.
    private func expectNoChangeAfter(_ seq: Int, _ harness: KMSLocalHarness) async throws {
        let changes = try await harness.calls(since: seq).filter {
            ["ScheduleKeyDeletion", "DisconnectCustomKeyStore", "DeleteCustomKeyStore"].contains($0.operation)
        }
        #expect(changes.isEmpty, "changes after drift: \(changes)")
    }
}
