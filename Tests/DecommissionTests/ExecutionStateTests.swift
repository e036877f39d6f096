import Foundation
import Testing

@testable import Decommission

/// The pure state machine, with fixed dates and no I/O.
struct ExecutionStateTests {
    private let t0 = Date(timeIntervalSince1970: 1_700_000_000)

    private func plan(observeDays: Double = 0, keys: [String] = ["k1", "k2"]) -> Plan {
        let target = PlanTarget(
            accountID: "111122223333", region: "us-east-1", endpoint: "e", keyStoreID: "cks-1", keyStoreName: nil, keyStoreType: "AWS_CLOUDHSM",
            cloudHsmClusterID: "cluster-1", xksProxy: nil, connectionState: "CONNECTED")
        let planned = keys.map {
            PlannedKey(
                keyID: $0, arn: "arn:aws:kms:us-east-1:111122223333:key/\($0)", state: "Enabled", creationDate: nil, description: nil, aliases: [],
                grantCount: 0, tags: [], deletionDate: nil, xksKeyID: nil, usage: UsageEvidence(verdict: .neverUsed, trackingStartDate: nil))
        }
        let options = PlanOptions(pendingWindowDays: 7, observeDays: observeDays)
        return Plan(
            planID: "p", createdAt: t0, toolVersion: "t", target: target, options: options, keys: planned, findings: [],
            steps: StepGraphBuilder.build(target: target, keys: planned, options: options))
    }

    private func id(_ raw: String) throws -> StepID { try #require(StepID(rawValue: raw)) }

    private func succeed(_ state: inout ExecutionState, _ raw: String, result: StepResult? = nil, at date: Date? = nil) throws {
        _ = state.stepStarted(try id(raw), at: date ?? t0)
        _ = state.stepSucceeded(try id(raw), result: result, at: date ?? t0)
    }

    @Test func onlyStepsWithFinishedDependenciesAreRunnable() throws {
        var state = ExecutionState(plan: plan())
        #expect(state.runnable(now: t0) == [try id("verify-store")])
        let actions = state.stepStarted(try id("verify-store"), at: t0)
        #expect(actions == [.persist([try id("verify-store")], durable: false)])
        #expect(state.runnable(now: t0).isEmpty)
        #expect(state.finishDecision(now: t0) == nil)
        _ = state.stepSucceeded(try id("verify-store"), result: nil, at: t0)
        #expect(state.runnable(now: t0) == [try id("preflight-rescan")])
    }

    @Test func finishedActionsFollowEveryTransition() throws {
        var state = ExecutionState(plan: plan())
        #expect(state.finishedActions.isEmpty)
        try succeed(&state, "verify-store")
        #expect(state.finishedActions == [.verifyStore])
        try succeed(&state, "preflight-rescan")
        try succeed(&state, "schedule-deletion-k1", result: StepResult(deletionDate: t0.addingTimeInterval(7 * 86_400)))
        #expect(!state.finishedActions.contains(.scheduleDeletion))
        _ = state.stepStarted(try id("schedule-deletion-k2"), at: t0)
        _ = state.stepFailed(try id("schedule-deletion-k2"), error: StepError(code: "x", message: "Failed."), at: t0)
        #expect(!state.finishedActions.contains(.scheduleDeletion))
        // A fresh state read from the same plan agrees with the one kept up to date.
        #expect(ExecutionState(plan: state.plan).finishedActions == state.finishedActions)
        #expect(state.finishedActions == [.verifyStore, .preflightRescan])
    }

    @Test func startingAMutatingStepPersistsDurably() throws {
        var state = ExecutionState(plan: plan())
        try succeed(&state, "verify-store")
        try succeed(&state, "preflight-rescan")
        #expect(state.runnable(now: t0) == [try id("schedule-deletion-k1"), try id("schedule-deletion-k2")])
        let actions = state.stepStarted(try id("schedule-deletion-k1"), at: t0)
        #expect(actions.first == .persist([try id("schedule-deletion-k1")], durable: true))
        #expect(state.step(try id("schedule-deletion-k1"))?.attempts == 1)
    }

    @Test func scheduledDeletionSetsAwaitTimeAndWaitingOutcome() throws {
        var state = ExecutionState(plan: plan(keys: ["k1"]))
        try succeed(&state, "verify-store")
        try succeed(&state, "preflight-rescan")
        let deletion = t0.addingTimeInterval(7 * 86_400)
        _ = state.stepStarted(try id("schedule-deletion-k1"), at: t0)
        let actions = state.stepSucceeded(try id("schedule-deletion-k1"), result: StepResult(deletionDate: deletion), at: t0)
        #expect(actions == [.persist([try id("schedule-deletion-k1"), try id("await-deletion-k1")], durable: true)])
        let due = deletion.addingTimeInterval(ExecutionState.deletionGrace)
        #expect(state.step(try id("await-deletion-k1"))?.notBefore == due)
        #expect(state.runnable(now: t0).isEmpty)
        #expect(state.nextDueTime == due)
        #expect(state.finishDecision(now: t0) == .waiting(nextActionAt: due))
        #expect(state.runnable(now: due) == [try id("await-deletion-k1")])
    }

    @Test func observationIsDueObserveDaysAfterTheLastDisable() throws {
        var state = ExecutionState(plan: plan(observeDays: 2))
        try succeed(&state, "verify-store")
        try succeed(&state, "preflight-rescan")
        try succeed(&state, "disable-key-k1", at: t0)
        try succeed(&state, "disable-key-k2", at: t0.addingTimeInterval(60))
        #expect(state.step(try id("observe"))?.notBefore == t0.addingTimeInterval(60 + 2 * 86_400))
    }

    @Test func failedStepIsNotRetriedInTheSameRun() throws {
        var state = ExecutionState(plan: plan(keys: ["k1"]))
        _ = state.stepStarted(try id("verify-store"), at: t0)
        _ = state.stepFailed(try id("verify-store"), error: StepError(code: "kms.access-denied", message: "Denied."), at: t0)
        #expect(state.runnable(now: t0).isEmpty)
        #expect(state.finishDecision(now: t0) == .failed(steps: [try id("verify-store")]))
        // The next run (a new state from the saved plan) retries it.
        let next = ExecutionState(plan: state.plan)
        #expect(next.runnable(now: t0) == [try id("verify-store")])
    }

    @Test func driftStopsLaunchingAndFinishesBlocked() throws {
        var state = ExecutionState(plan: plan(keys: ["k1"]))
        _ = state.stepStarted(try id("verify-store"), at: t0)
        let item = DriftItem(kind: .storeClusterChanged, expected: "cluster-1", found: "cluster-2")
        _ = state.stepFoundDrift(try id("verify-store"), items: [item])
        #expect(state.runnable(now: t0).isEmpty)
        #expect(state.finishDecision(now: t0) == .blocked(drift: [item]))
        #expect(state.step(try id("verify-store"))?.status == .pending)
    }

    @Test func runningStepsFromACrashAreReportedForReconciliation() throws {
        var crashed = plan(keys: ["k1"])
        crashed.steps[0].status = .running
        let state = ExecutionState(plan: crashed)
        #expect(state.interruptedSteps == [try id("verify-store")])
        #expect(state.runnable(now: t0).isEmpty)
    }

    @Test func completePlanFinishesDone() throws {
        var done = plan(keys: ["k1"])
        for index in done.steps.indices { done.steps[index].status = .done }
        #expect(ExecutionState(plan: done).finishDecision(now: t0) == .done)
    }
}
