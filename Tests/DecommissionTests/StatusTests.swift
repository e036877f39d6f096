import Foundation
import Testing

@testable import Decommission

struct PlanStatusReportTests {
    /// "Has the plan started" is one rule (`Step.hasStarted`), read by apply, plan, status and cancel.
    @Test func aPlanHasStartedOnceApprovedCancelledOrAnyStepAttempted() async throws {
        let world = try ExecutorWorld()
        defer { world.cleanUp() }
        let fresh = try await world.makePlan(keyIDs: [keyID(1)])
        #expect(!fresh.hasStarted && PlanStatusReport.make(fresh, now: world.time.now()).phase == .planned)
        var attempted = fresh
        attempted.steps[0].attempts = 1
        #expect(attempted.hasStarted && attempted.steps[0].hasStarted)
        #expect(PlanStatusReport.make(attempted, now: world.time.now()).phase != .planned)
        var approved = fresh
        approved.approval = Approval(approvedAt: world.time.now(), method: .fingerprint, fingerprint: fresh.fingerprint, approvedBy: nil)
        #expect(approved.hasStarted && !approved.hasStartedSteps)
        #expect(PlanStatusReport.make(approved, now: world.time.now()).phase == .approved)
        var cancelledUnattempted = fresh
        cancelledUnattempted.steps[0].status = .cancelled
        #expect(!cancelledUnattempted.steps[0].hasStarted)
        cancelledUnattempted.cancellation = Cancellation(cancelledAt: world.time.now(), reEnable: false)
        #expect(cancelledUnattempted.hasStarted)
    }

    @Test func freshPlanIsPlannedWithProjectedPointOfNoReturn() async throws {
        let world = try ExecutorWorld()
        defer { world.cleanUp() }
        let plan = try await world.makePlan(keyIDs: [keyID(1)])
        let report = PlanStatusReport.make(plan, now: world.time.now())
        #expect(report.phase == .planned)
        #expect(report.counts.total == plan.steps.count)
        #expect(report.counts.pending == plan.steps.count)
        #expect(report.nextActionAt == world.time.now())
        #expect(report.pointOfNoReturn == world.time.now().addingTimeInterval(7 * 86_400))
    }

    @Test func waitingPlanReportsRecordedDeletionDates() async throws {
        let world = try ExecutorWorld()
        defer { world.cleanUp() }
        let plan = try await world.makePlan(keyIDs: [keyID(1), keyID(2)])
        let run = try await world.applier().apply(planPath: world.planPath, options: ApplyOptions(approveFingerprint: plan.fingerprint))
        let saved = try world.readPlan()
        let report = PlanStatusReport.make(saved, now: world.time.now())
        #expect(report.phase == .waitingForDeletion)
        #expect(report.nextActionAt == run.nextActionAt)
        let dates = saved.steps.compactMap { $0.result?.deletionDate }
        #expect(report.pointOfNoReturn == dates.min())
        #expect(report.expectedCompletion.map { $0 > (dates.max() ?? .distantFuture) } == true)
    }

    @Test func failedStepsAreListed() async throws {
        let world = try ExecutorWorld()
        defer { world.cleanUp() }
        var plan = try await world.makePlan(keyIDs: [keyID(1)])
        plan.steps[0].status = .failed
        plan.steps[0].error = StepError(code: "kms.access-denied", message: "Denied.")
        let report = PlanStatusReport.make(plan, now: world.time.now())
        #expect(report.phase == .failed)
        #expect(report.failedSteps.map(\.id) == [plan.steps[0].id])
    }

    @Test func completedPlanHasNoNextAction() async throws {
        let world = try ExecutorWorld()
        defer { world.cleanUp() }
        let plan = try await world.makePlan(keyIDs: [keyID(1)])
        _ = try await world.applier().apply(planPath: world.planPath, options: ApplyOptions(wait: true, approveFingerprint: plan.fingerprint))
        let report = PlanStatusReport.make(try world.readPlan(), now: world.time.now())
        #expect(report.phase == .completed)
        #expect(report.nextActionAt == nil)
        #expect(report.pointOfNoReturn == nil)
    }
}
