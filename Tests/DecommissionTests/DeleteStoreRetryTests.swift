import Foundation
import KMSAPI
import TestSupport
import Testing

@testable import Decommission

/// KMS may refuse DeleteCustomKeyStore for a while after the keys are gone: the step waits as a
/// scheduled retry (status shows it), never by sleeping inside the step.
struct DeleteStoreRetryTests {
    private static let hasKeys = KMSError(code: .keyStoreHasKeys, message: "Store has keys.", awsErrorType: "CustomKeyStoreHasCMKsException")

    @Test func storeStillListingKeysIsAScheduledRetryVisibleInStatus() async throws {
        let world = try ExecutorWorld()
        defer { world.cleanUp() }
        let plan = try await world.makePlan(keyIDs: [])
        let storeID = plan.target.keyStoreID
        await world.kms.fail("DeleteCustomKeyStore \(storeID)", with: Self.hasKeys)
        let deleteID = try #require(plan.steps.first { $0.action == .deleteStore }?.id)
        // No inline waits: the run stops at the first wait, so the retry must show as one.
        var options = ApplyOptions(approveFingerprint: plan.fingerprint)
        options.inlineWaitLimit = .seconds(100)
        let first = try await world.applier().apply(planPath: world.planPath, options: options)
        let waited = world.events.all.contains { event in
            if case .stepFinished(deleteID, .waiting, let note) = event { return note?.contains("CustomKeyStoreHasCMKsException") == true }
            return false
        }
        #expect(waited, "the refused delete became a waiting step")
        #expect(world.events.all.contains { if case .sleeping = $0 { true } else { false } })
        #expect(first.outcome == .done)
        let saved = try world.readPlan()
        #expect(saved.steps.first { $0.id == deleteID }?.status == .done)
        #expect(await world.kms.calls.filter { $0.hasPrefix("DeleteCustomKeyStore") }.count == 2)
    }

    @Test func waitingRetryIsReportedByStatusWhenTheRunStops() async throws {
        let world = try ExecutorWorld()
        defer { world.cleanUp() }
        let plan = try await world.makePlan(keyIDs: [])
        let storeID = plan.target.keyStoreID
        await world.kms.fail("DeleteCustomKeyStore \(storeID)", with: Self.hasKeys)
        let deleteID = try #require(plan.steps.first { $0.action == .deleteStore }?.id)
        let start = world.time.now()
        // Waits of up to 8 s (the disconnect polls) run inline; the 10 s retry does not.
        var options = ApplyOptions(approveFingerprint: plan.fingerprint)
        options.inlineWaitLimit = .seconds(9)
        var report = try await world.applier().apply(planPath: world.planPath, options: options)
        for _ in 0..<5 where report.nextActionAt != nil {
            let step = try #require(try world.readPlan().steps.first { $0.id == deleteID })
            if step.status == .waiting { break }
            report = try await world.applier().apply(planPath: world.planPath, options: ApplyOptions(resume: true, inlineWaitLimit: .seconds(9)))
        }
        let saved = try world.readPlan()
        let step = try #require(saved.steps.first { $0.id == deleteID })
        #expect(step.status == .waiting)
        let line = try #require(PlanStatusReport.make(saved, now: world.time.now()).steps.first { $0.id == deleteID })
        #expect(line.status == .waiting)
        #expect(line.notBefore.map { $0 > start } == true)
        #expect(report.nextActionAt == step.notBefore)
    }

    @Test func storeThatKeepsListingKeysFailsAfterFourRetries() async throws {
        let world = try ExecutorWorld()
        defer { world.cleanUp() }
        let plan = try await world.makePlan(keyIDs: [])
        let storeID = plan.target.keyStoreID
        // A key KMS keeps listing in the store after the disconnect: every delete is refused.
        await world.kms.setAfterCall { call, kms in
            if call.hasPrefix("DisconnectCustomKeyStore") {
                await kms.addKey(keyID(99), store: storeID, state: .pendingDeletion, deletionDate: .distantFuture)
            }
        }
        let report = try await world.applier().apply(planPath: world.planPath, options: ApplyOptions(wait: true, approveFingerprint: plan.fingerprint))
        guard case .failed = report.outcome else {
            Issue.record("expected failure, got \(report.outcome)")
            return
        }
        #expect(await world.kms.calls.filter { $0.hasPrefix("DeleteCustomKeyStore") }.count == 5)
    }

    /// The retry is a sleep on the injected clock, between steps: the manual clock holds the run
    /// at the 10 s wait until the test moves time on.
    @Test func retryWaitsOnTheInjectedClockBetweenSteps() async throws {
        let world = try ExecutorWorld()
        defer { world.cleanUp() }
        var plan = try await world.makePlan(keyIDs: [])
        let storeID = plan.target.keyStoreID
        // Everything before DeleteCustomKeyStore is done, and the store is disconnected.
        plan.approval = Approval(approvedAt: world.time.now(), method: .fingerprint, fingerprint: plan.fingerprint, approvedBy: nil)
        for index in plan.steps.indices where plan.steps[index].action != .deleteStore && plan.steps[index].action != .verifyStoreDeleted {
            plan.steps[index].status = .done
            plan.steps[index].attempts = 1
            plan.steps[index].finishedAt = world.time.now()
        }
        try PlanFileStore().write(plan, to: world.planPath)
        _ = try await world.kms.disconnectStore(storeID)
        world.time.advance(by: 11)
        await world.kms.fail("DeleteCustomKeyStore \(storeID)", with: Self.hasKeys)

        let clock = ManualClock()
        let start = world.time.now()
        let time = world.time
        let applier = Applier(kms: world.kms, clock: clock, now: { start.addingTimeInterval(Double(clock.elapsed.components.seconds)) })
        let path = world.planPath
        let run = Task { try await applier.apply(planPath: path, options: ApplyOptions(resume: true, wait: true)) }
        await clock.waitForSleepers(1)
        #expect(clock.nextDeadline == .seconds(10))
        #expect(await world.kms.calls.filter { $0.hasPrefix("DeleteCustomKeyStore") }.count == 1)
        time.advance(by: 10)
        clock.advance(by: .seconds(10))
        let report = try await run.value
        #expect(report.outcome == .done)
        #expect(await world.kms.calls.filter { $0.hasPrefix("DeleteCustomKeyStore") }.count == 2)
    }
}
