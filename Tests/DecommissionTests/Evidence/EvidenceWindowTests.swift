import Foundation
import KMSAPI
import Testing
@testable import Decommission

struct EvidenceWindowTests {
    let now = EvidenceFixtures.now

    @Test func theWindowEndsTheLagBeforeNow() {
        let window = EvidenceWindow.lookback(30 * 86_400, now: now, lag: 900)
        #expect(window.end == now.addingTimeInterval(-900))
        #expect(window.start == now.addingTimeInterval(-30 * 86_400))
        #expect(!window.isLimitedByRetention)
        #expect(window.contains(now.addingTimeInterval(-901)))
        #expect(!window.contains(now.addingTimeInterval(-899)))
    }

    @Test func moreThanNinetyDaysIsCutAndSaysSo() {
        let window = EvidenceWindow.lookback(120 * 86_400, now: now, lag: 0)
        #expect(window.start == now.addingTimeInterval(-90 * 86_400))
        #expect(window.isLimitedByRetention)
        #expect(window.retentionShortfall == 30 * 86_400)
        #expect(window.requestedStart == now.addingTimeInterval(-120 * 86_400))
    }

    @Test func sinceTheKeyWasDisabled() {
        let disabled = now.addingTimeInterval(-7 * 86_400)
        let window = EvidenceWindow.make(now: now, requestedStart: disabled, lag: 600)
        #expect(window.start == disabled)
        #expect(window.duration == 7 * 86_400 - 600)
        let fresh = EvidenceWindow.make(now: now, requestedStart: now.addingTimeInterval(-300), lag: 600)
        #expect(fresh.isEmpty)
        #expect(!fresh.contains(now.addingTimeInterval(-400)))
        #expect(fresh.duration == 0)
    }

    @Test func aNegativeLagCountsAsNone() {
        #expect(EvidenceWindow.lookback(60, now: now, lag: -5).end == now)
    }

    @Test func theLookupReadsTheWindowForTheKey() {
        let window = EvidenceWindow.lookback(86_400, now: now, lag: 900)
        let request = window.lookupRequest(keyARN: EvidenceFixtures.keyARN)
        #expect(request.lookupAttributes == [LookupAttribute(.resourceName, EvidenceFixtures.keyARN)])
        #expect(request.startTime == window.start)
        #expect(request.endTime == window.end)
        #expect(request.maxResults == 50)
    }
}
