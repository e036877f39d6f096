import Foundation
import KMSAPI
import Testing
@testable import KMSLocal

/// The trail in process: ordering, stable page boundaries, retention and lag, on a fixed clock.
struct CloudTrailLogTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)
    static let arn = "arn:aws:kms:us-east-1:111122223333:key/k1"

    static func event(_ name: String, secondsAgo: Double, arn: String? = arn) -> TrailEvent {
        TrailEvent(
            seq: 0, eventID: UUID().uuidString, time: now.addingTimeInterval(-secondsAgo), eventName: name, readOnly: true,
            accessKeyID: "AKIDAPP",
            principal: TrailPrincipal(arn: "arn:aws:iam::111122223333:user/app", accessKeyID: "AKIDAPP", accountID: "111122223333"),
            sourceIPAddress: "127.0.0.1", userAgent: "", errorCode: nil, errorMessage: nil, resourceARN: arn, requestKeyID: nil,
            requestID: "r", region: "us-east-1")
    }

    @Test func equalTimesKeepTheirOrderAndAPageBoundaryHoldsWhileNewEventsArrive() throws {
        let log = CloudTrailLog()
        for index in 0..<5 { log.record(Self.event("Decrypt\(index)", secondsAgo: index < 2 ? 100 : 200)) }
        let first = try log.lookup(LookupEventsRequest(maxResults: 2), now: Self.now)
        #expect(first.events?.compactMap(\.eventName) == ["Decrypt1", "Decrypt0"])
        log.record(Self.event("Newer", secondsAgo: 1))
        let rest = try log.lookup(LookupEventsRequest(maxResults: 50, nextToken: first.nextToken), now: Self.now)
        #expect(rest.events?.compactMap(\.eventName) == ["Decrypt4", "Decrypt3", "Decrypt2"])
        #expect(rest.nextToken == nil)
    }

    @Test func pagesOfEventsAtFractionalSecondsNeitherRepeatNorSkipTheBoundaryEvent() throws {
        // Times whose round trip through timeIntervalSince1970 is not exact (about half of them).
        let log = CloudTrailLog()
        for index in 0..<40 { log.record(Self.event("Decrypt\(index)", secondsAgo: 1_000 - Double(index) * 7.123_456_789)) }
        var names: [String] = []
        var token: String?
        repeat {
            let page = try log.lookup(LookupEventsRequest(maxResults: 1, nextToken: token), now: Self.now)
            names += page.events?.compactMap(\.eventName) ?? []
            token = page.nextToken
        } while token != nil
        #expect(names == (0..<40).reversed().map { "Decrypt\($0)" })
    }

    @Test func onlyTheLastNinetyDaysAndEventsPastTheLagAreVisible() throws {
        let log = CloudTrailLog(lagSeconds: 60)
        log.record(Self.event("Old", secondsAgo: 91 * 86_400))
        log.record(Self.event("Kept", secondsAgo: 89 * 86_400))
        log.record(Self.event("Fresh", secondsAgo: 30))
        let names = try log.lookup(LookupEventsRequest(), now: Self.now).events?.compactMap(\.eventName)
        #expect(names == ["Kept"])
        let later = try log.lookup(LookupEventsRequest(), now: Self.now.addingTimeInterval(31)).events?.compactMap(\.eventName)
        #expect(later == ["Fresh", "Kept"])
    }

    @Test func resourceNameMatchesTheARNOrTheBareKeyID() throws {
        let log = CloudTrailLog()
        log.record(Self.event("Decrypt", secondsAgo: 10))
        log.record(Self.event("ListKeys", secondsAgo: 5, arn: nil))
        for value in [Self.arn, "k1"] {
            let request = LookupEventsRequest(lookupAttributes: [LookupAttribute(.resourceName, value)])
            #expect(try log.lookup(request, now: Self.now).events?.compactMap(\.eventName) == ["Decrypt"])
        }
        let other = LookupEventsRequest(lookupAttributes: [LookupAttribute(.resourceName, "k")])
        #expect(try log.lookup(other, now: Self.now).events?.isEmpty == true)
    }

    @Test func aResourceLookupSeesOnlyThatKeysEventsStillInTheTrail() throws {
        let log = CloudTrailLog(capacity: 10)
        let other = "arn:aws:kms:us-east-1:111122223333:key/k2"
        // 12 events, alternating keys: the first tenth of the trail (E0) goes when it overflows,
        // and then the next one (E1), so k1 keeps E2, E4, ..., E10 and k2 keeps E3, ..., E11.
        for index in 0..<12 { log.record(Self.event("E\(index)", secondsAgo: Double(100 - index), arn: index % 2 == 0 ? Self.arn : other)) }
        let k1 = try log.lookup(LookupEventsRequest(lookupAttributes: [LookupAttribute(.resourceName, "k1")]), now: Self.now)
        #expect(k1.events?.compactMap(\.eventName) == ["E10", "E8", "E6", "E4", "E2"])
        let k2 = try log.lookup(LookupEventsRequest(lookupAttributes: [LookupAttribute(.resourceName, other)]), now: Self.now)
        #expect(k2.events?.compactMap(\.eventName) == ["E11", "E9", "E7", "E5", "E3"])
        // Other attributes still read the whole trail.
        let all = try log.lookup(LookupEventsRequest(), now: Self.now).events?.count
        #expect(all == 10)
    }

    @Test func theLogKeepsItsNewestEventsWhenFull() {
        let log = CloudTrailLog(capacity: 10)
        for index in 0..<11 { log.record(Self.event("E\(index)", secondsAgo: Double(100 - index))) }
        #expect(log.all.count == 10)
        #expect(log.all.first?.eventName == "E1")
        #expect(log.all.map(\.seq) == Array(2...11))
    }

    @Test func principalsBecomeCloudTrailIdentities() {
        let role = TrailPrincipal(arn: "arn:aws:iam::444455556666:role/app", accessKeyID: "AK", accountID: "111122223333")
        #expect(role.type == "AssumedRole")
        #expect(role.arn == "arn:aws:sts::444455556666:assumed-role/app/kms-local")
        #expect(role.sessionIssuerARN == "arn:aws:iam::444455556666:role/app")
        #expect(role.accountID == "444455556666")
        let user = TrailPrincipal(arn: "arn:aws:iam::111122223333:user/ops", accessKeyID: "AK", accountID: "111122223333")
        #expect(user.type == "IAMUser")
        #expect(user.username == "ops")
        #expect(TrailPrincipal(arn: "arn:aws:iam::111122223333:root", accessKeyID: "AK", accountID: "1").type == "Root")
        let odd = TrailPrincipal(arn: "not-an-arn", accessKeyID: "AK", accountID: "111122223333")
        #expect(odd.arn == "not-an-arn")
        #expect(odd.accountID == "111122223333")
    }
}
