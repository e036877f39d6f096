import Foundation
import Testing

@testable import Decommission

struct PlanTimelineTests {
    typealias F = PlannerFixtures

    @Test func projectsNewKeysFromNowPlusObservationAndWindow() throws {
        let plan = try F.plan(keys: [F.key("k1"), F.key("k2")], options: PlanOptions(pendingWindowDays: 7, observeDays: 0.5))
        let timeline = PlanTimeline.compute(plan, now: F.now)
        let expected = F.now.addingTimeInterval(7.5 * F.day)
        #expect(timeline.earliestPointOfNoReturn == expected)
        #expect(timeline.latestDeletionDate == expected)
        #expect(timeline.expectedCompletion == expected.addingTimeInterval(F.day))
    }

    @Test func keepsExistingDeletionDates() throws {
        let soon = F.now.addingTimeInterval(2 * F.day)
        let plan = try F.plan(keys: [F.key("k1"), F.key("k2", state: "PendingDeletion", deletionDate: soon)])
        let timeline = PlanTimeline.compute(plan, now: F.now)
        #expect(timeline.earliestPointOfNoReturn == soon)
        #expect(timeline.expectedCompletion == F.now.addingTimeInterval(31 * F.day))
    }

    @Test func usesDeletionDatesRecordedByScheduleSteps() throws {
        var plan = try F.plan(keys: [F.key("k1")])
        let recorded = F.now.addingTimeInterval(10 * F.day)
        let index = try #require(plan.steps.firstIndex { $0.action == .scheduleDeletion })
        plan.steps[index].result = StepResult(deletionDate: recorded)
        let timeline = PlanTimeline.compute(plan, now: F.now.addingTimeInterval(5 * F.day))
        #expect(timeline.earliestPointOfNoReturn == recorded)
    }

    /// `plan` (its summary), `status` and `apply` (its dry run and result) read one timeline, so
    /// they show the same expected completion: the latest DeletionDate plus a day.
    @Test func planStatusAndApplyShowTheSameExpectedCompletion() async throws {
        let world = try ExecutorWorld()
        defer { world.cleanUp() }
        _ = try await world.makePlan(keyIDs: [keyID(1), keyID(2)])
        let now = world.time.now()
        let plan = try world.readPlan()
        let expected = now.addingTimeInterval(7 * F.day + PlanTimeline.lateDeletionMargin)
        #expect(PlanTimeline.compute(plan, now: now).expectedCompletion == expected)
        #expect(PlanStatusReport.make(plan, now: now).expectedCompletion == expected)
        #expect(try await world.applier().dryRun(planPath: world.planPath, options: ApplyOptions()).timeline.expectedCompletion == expected)
        #expect(PlanSummaryRenderer.render(plan, now: now, color: false).contains("Expected completion:         \(SummaryFormat.dateTime(expected))"))
        #expect(PlanStatusReport.make(plan, now: now).pointOfNoReturn == PlanTimeline.compute(plan, now: now).earliestPointOfNoReturn)
    }

    @Test func emptyStoreCompletesNow() {
        let timeline = PlanTimeline.from(deletionDates: [], now: F.now)
        #expect(timeline.earliestPointOfNoReturn == nil)
        #expect(timeline.expectedCompletion == F.now)
    }
}
