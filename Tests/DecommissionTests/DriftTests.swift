import Foundation
import KMSAPI
import Testing

@testable import Decommission

/// Drift stops the run with `.blocked`, naming each difference, before any further change.
struct DriftScannerTests {
    private func blockedItems(_ outcome: ApplyOutcome) -> [DriftItem] {
        if case .blocked(let items) = outcome { return items }
        return []
    }

    @Test func newKeyInStoreBlocksBeforeAnyChange() async throws {
        let world = try ExecutorWorld()
        defer { world.cleanUp() }
        let plan = try await world.makePlan(keyIDs: [keyID(1)])
        await world.kms.addKey(keyID(99), store: plan.target.keyStoreID)
        let report = try await world.applier().apply(planPath: world.planPath, options: ApplyOptions(wait: true, approveFingerprint: plan.fingerprint))
        #expect(blockedItems(report.outcome) == [DriftItem(kind: .newKey, keyID: keyID(99), expected: "no key outside the plan", found: "key in state Enabled")])
        #expect(await world.kms.mutatingCalls.isEmpty)
    }

    @Test func changedClusterBlocks() async throws {
        let world = try ExecutorWorld()
        defer { world.cleanUp() }
        let plan = try await world.makePlan(keyIDs: [keyID(1)])
        await world.kms.setCluster(plan.target.keyStoreID, "cluster-other")
        let report = try await world.applier().apply(planPath: world.planPath, options: ApplyOptions(wait: true, approveFingerprint: plan.fingerprint))
        #expect(blockedItems(report.outcome).map(\.kind) == [.storeClusterChanged])
        #expect(await world.kms.mutatingCalls.isEmpty)
    }

    @Test func keyInAnotherAccountBlocks() async throws {
        let world = try ExecutorWorld()
        defer { world.cleanUp() }
        let plan = try await world.makePlan(keyIDs: [keyID(1)])
        let scanner = DriftScanner(kms: world.kms, now: { [time = world.time] in time.now() })
        let key = KeyMetadata(keyID: keyID(1), arn: "arn:aws:kms:eu-west-1:999999999999:key/\(keyID(1))")
        #expect(scanner.arnDrift(key, target: plan.target).map(\.kind) == [.regionChanged, .accountChanged])
    }

    @Test func cancelledDeletionDuringWaitBlocksBeforeDisconnect() async throws {
        let world = try ExecutorWorld()
        defer { world.cleanUp() }
        let plan = try await world.makePlan(keyIDs: [keyID(1), keyID(2)])
        let first = try await world.applier().apply(planPath: world.planPath, options: ApplyOptions(approveFingerprint: plan.fingerprint))
        #expect(first.nextActionAt != nil)
        await world.kms.setKeyState(keyID(2), .disabled)
        let report = try await world.applier().apply(planPath: world.planPath, options: ApplyOptions(resume: true, wait: true))
        #expect(blockedItems(report.outcome) == [DriftItem(kind: .deletionCancelled, keyID: keyID(2), expected: "PendingDeletion", found: "Disabled")])
        #expect(await !world.kms.calls.contains { $0.hasPrefix("Disconnect") || $0.hasPrefix("DeleteCustom") })
        #expect(PlanStatusReport.make(try world.readPlan(), now: world.time.now()).phase == .blocked)
    }

    @Test func keyReEnabledDuringObservationStopsBeforeScheduling() async throws {
        let world = try ExecutorWorld()
        defer { world.cleanUp() }
        let plan = try await world.makePlan(keyIDs: [keyID(1), keyID(2)], options: PlanOptions(pendingWindowDays: 7, observeDays: 2))
        let first = try await world.applier().apply(planPath: world.planPath, options: ApplyOptions(approveFingerprint: plan.fingerprint))
        #expect(await world.kms.mutatingCalls == ["DisableKey \(keyID(1))", "DisableKey \(keyID(2))"])
        #expect(first.nextActionAt == world.time.now().addingTimeInterval(2 * 86_400))
        await world.kms.setKeyState(keyID(1), .enabled)
        let report = try await world.applier().apply(planPath: world.planPath, options: ApplyOptions(resume: true, wait: true))
        #expect(blockedItems(report.outcome).map(\.kind) == [.keyReEnabled])
        #expect(blockedItems(report.outcome).first?.keyID == keyID(1))
        #expect(await !world.kms.calls.contains { $0.hasPrefix("ScheduleKeyDeletion") })
    }

    @Test func keyUsedDuringObservationStopsBeforeScheduling() async throws {
        let world = try ExecutorWorld()
        defer { world.cleanUp() }
        let plan = try await world.makePlan(keyIDs: [keyID(1)], options: PlanOptions(pendingWindowDays: 7, observeDays: 1))
        _ = try await world.applier().apply(planPath: world.planPath, options: ApplyOptions(approveFingerprint: plan.fingerprint))
        world.time.advance(by: 3600)
        await world.kms.setLastUsed(keyID(1), world.time.now())
        let report = try await world.applier().apply(planPath: world.planPath, options: ApplyOptions(resume: true, wait: true))
        #expect(blockedItems(report.outcome).map(\.kind) == [.keyUsedDuringObservation])
        #expect(await !world.kms.calls.contains { $0.hasPrefix("ScheduleKeyDeletion") })
    }

    /// The rescan is the planner's scan, but an AccessDenied during apply keeps KMS's message
    /// rather than planning's advice to "run plan again".
    @Test func accessDeniedDuringTheRescanIsNotReportedAsPlanning() async throws {
        let world = try ExecutorWorld()
        defer { world.cleanUp() }
        let plan = try await world.makePlan(keyIDs: [keyID(1)])
        await world.kms.deny("ListKeys")
        let report = try await world.applier().apply(planPath: world.planPath, options: ApplyOptions(approveFingerprint: plan.fingerprint))
        guard case .failed = report.outcome else {
            Issue.record("expected a failed rescan, got \(report.outcome)")
            return
        }
        let error = try #require(try world.readPlan().steps.first { $0.action == .preflightRescan }?.error)
        #expect(error.code == "kms.access-denied")
        #expect(error.message.contains("not authorized to perform kms:ListKeys"))
        #expect(!error.message.contains("planning needs it"))
    }
}
