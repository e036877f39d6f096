import Foundation
import Testing
@testable import Decommission

struct GuardScheduleTests {
    let now = EvidenceFixtures.now
    var day1: Date { now.addingTimeInterval(86_400) }
    var day3: Date { now.addingTimeInterval(3 * 86_400) }

    func schedule(checks: [GuardCheck] = [], at time: Date? = nil, guardHours: Double = 24) -> GuardSchedule {
        GuardSchedule.make(
            deletions: ["b": day1, "a": day1, "c": day3], guardHours: guardHours, finalCheckLead: 600, checks: checks,
            now: time ?? now)
    }

    @Test func keysSharingADeletionDateShareAGuard() {
        let result = schedule()
        #expect(result.groups.map(\.keyIDs) == [["a", "b"], ["c"]])
        #expect(result.groups.map(\.dueAt) == [now, now.addingTimeInterval(2 * 86_400)])
        #expect(result.groups.map(\.finalCheckAt) == [day1.addingTimeInterval(-600), day3.addingTimeInterval(-600)])
    }

    @Test func statusesFollowTheSpanAndTheChecks() {
        let early = schedule(at: now.addingTimeInterval(-1))
        #expect(early.groups.map(\.status) == [.upcoming, .upcoming])
        #expect(early.groupsToCheck.isEmpty)
        let due = schedule()
        #expect(due.groups.map(\.status) == [.due, .upcoming])
        #expect(due.groupsToCheck.map(\.keyIDs) == [["a", "b"]])
        let checkedAt = now.addingTimeInterval(3600)
        let passed = schedule(checks: [GuardCheck(deletionDate: day1, checkedAt: checkedAt)], at: now.addingTimeInterval(7200))
        #expect(passed.groups[0].status == .passed(lastCheckedAt: checkedAt))
        #expect(passed.groupsToCheck.count == 1)  // checked again at every resume inside the span
    }

    @Test func aDeletionDateThatPassedUncheckedIsMissed() {
        let beforeSpan = GuardCheck(deletionDate: day1, checkedAt: now.addingTimeInterval(-60))
        let otherGroup = GuardCheck(deletionDate: day3, checkedAt: now.addingTimeInterval(3600))
        let later = schedule(checks: [beforeSpan, otherGroup], at: day1.addingTimeInterval(1))
        #expect(later.groups[0].status == .missed)
        #expect(later.missed.map(\.keyIDs) == [["a", "b"]])
        #expect(!later.groups[0].isInSpan)
        let guarded = schedule(checks: [GuardCheck(deletionDate: day1, checkedAt: day1.addingTimeInterval(-300))], at: day1.addingTimeInterval(1))
        #expect(guarded.groups[0].status == .passed(lastCheckedAt: day1.addingTimeInterval(-300)))
        #expect(guarded.missed.isEmpty)
    }

    @Test func theNextCheckIsTheNextSpanOrTheFinalCheck() {
        #expect(schedule(at: now.addingTimeInterval(-100)).nextCheckAt == now)
        #expect(schedule().nextCheckAt == day1.addingTimeInterval(-600))
        let lateCheck = GuardCheck(deletionDate: day1, checkedAt: day1.addingTimeInterval(-500))
        let afterFinal = schedule(checks: [lateCheck], at: day1.addingTimeInterval(-400))
        #expect(afterFinal.nextCheckAt == now.addingTimeInterval(2 * 86_400))
        #expect(schedule(at: day3.addingTimeInterval(1)).nextCheckAt == nil)
    }

    @Test func aZeroGuardSpanStillGivesEachDateAGroup() {
        let result = schedule(guardHours: 0)
        #expect(result.groups.map(\.dueAt) == [day1, day3])
        #expect(result.groups.map(\.finalCheckAt) == [day1, day3])
        #expect(result.groups.map(\.status) == [.upcoming, .upcoming])
    }

    @Test func theFinalCheckLeavesTimeToReadEveryKeyAtTheQuota() {
        #expect(GuardSchedule.finalCheckLead(keys: 3300, margin: 300) == 1650 + 300)
        #expect(GuardSchedule.finalCheckLead(keys: -1, margin: -1) == 0)
    }
}
