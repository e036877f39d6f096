import Foundation
import KMSAPI
import Testing
@testable import Decommission

struct KeyUseSummaryTests {
    let rules = EvidenceRules(tool: ToolIdentity(accessKeyIDs: [EvidenceFixtures.toolKey]))
    let window = EvidenceWindow.lookback(30 * 86_400, now: EvidenceFixtures.now, lag: 900)

    func summary(_ records: [CloudTrailRecord]) -> KeyUseSummary {
        var summary = KeyUseSummary(keyARN: EvidenceFixtures.keyARN, window: window)
        summary.add(records, rules: rules)
        return summary
    }

    @Test func attemptsAreGroupedByPrincipalOperationAndError() throws {
        let records = [
            EvidenceFixtures.record("Decrypt", error: "DisabledException", minutesAgo: 30, ip: "10.0.0.2"),
            EvidenceFixtures.record("Decrypt", error: "DisabledException", minutesAgo: 600),
            EvidenceFixtures.record("Decrypt", error: "DisabledException", minutesAgo: 120, ip: "10.0.0.2"),
            EvidenceFixtures.record("GenerateDataKey", error: "DisabledException", minutesAgo: 200),
            EvidenceFixtures.record("Encrypt", minutesAgo: 50),
        ]
        let result = summary(records)
        #expect(result.eventsRead == 5)
        #expect(result.attempts.count == 2)
        let decrypt = try #require(result.attempts.first)
        #expect(decrypt.principal == EvidenceFixtures.appRole)
        #expect(decrypt.operation == "Decrypt")
        #expect(decrypt.errorCode == "DisabledException")
        #expect(decrypt.count == 3)
        #expect(decrypt.firstTime == EvidenceFixtures.now.addingTimeInterval(-600 * 60))
        #expect(decrypt.lastTime == EvidenceFixtures.now.addingTimeInterval(-30 * 60))
        #expect(decrypt.sourceIPs == ["10.0.0.1", "10.0.0.2"])
        #expect(decrypt.isKeyStateRefusal)
        #expect(decrypt.lastErrorMessage == "\(EvidenceFixtures.keyARN) is disabled.")
        #expect(result.attempts[1].operation == "GenerateDataKey")
        #expect(result.uses.map(\.operation) == ["Encrypt"])
        #expect(result.uses.first?.errorCode == nil)
        #expect(result.hasAttemptedUse && result.hasUse)
        #expect(result.lastAttemptAt == decrypt.lastTime)
    }

    @Test func eventsOutsideTheWindowOrAboutAnotherKeyAreSkipped() {
        let records = [
            EvidenceFixtures.record("Decrypt", error: "DisabledException", minutesAgo: 5),  // inside the lag
            EvidenceFixtures.record("Decrypt", error: "DisabledException", minutesAgo: 31 * 1440),  // too old
            EvidenceFixtures.record("Decrypt", error: "DisabledException", resources: ["arn:aws:kms:us-east-1:111122223333:key/other"]),
            CloudTrailRecord(eventID: "no-time", eventName: "Decrypt", errorCode: "DisabledException"),
        ]
        let result = summary(records)
        #expect(result.eventsRead == 4)
        #expect(result.skipped == 4)
        #expect(!result.hasAttemptedUse)
    }

    @Test func theToolsCallsAreCountedApartAndRereadPagesAreNotCountedTwice() {
        let page = [
            EvidenceFixtures.record("DescribeKey", id: "e1", accessKey: EvidenceFixtures.toolKey),
            EvidenceFixtures.record("Decrypt", error: "DisabledException", id: "e2"),
        ]
        var result = KeyUseSummary(keyARN: EvidenceFixtures.keyARN, window: window)
        result.add(page, rules: rules)
        result.add(page, rules: rules)
        #expect(result.eventsRead == 2)
        #expect(result.ownCalls == 1)
        #expect(result.attempts.map(\.count) == [1])
    }

    @Test func addingPageByPageEqualsAddingAllAtOnce() {
        let records = (0..<120).map { EvidenceFixtures.record("Decrypt", error: "DisabledException", minutesAgo: Double(20 + $0 * 10), id: "e\($0)") }
        var paged = KeyUseSummary(keyARN: EvidenceFixtures.keyARN, window: window)
        for start in stride(from: 0, to: 120, by: 50) { paged.add(Array(records[start..<min(120, start + 50)]), rules: rules) }
        #expect(paged == summary(records))
        #expect(paged.attempts.first?.count == 120)
    }

    @Test func aSavedSummaryResumesWhereItStopped() {
        let first = summary([EvidenceFixtures.record("Decrypt", error: "DisabledException", minutesAgo: 100)])
        var resumed = KeyUseSummary(
            keyARN: first.keyARN, window: first.window, attempts: first.attempts, uses: first.uses,
            eventsRead: first.eventsRead, ownCalls: first.ownCalls, skipped: first.skipped)
        resumed.add([EvidenceFixtures.record("Decrypt", error: "DisabledException", minutesAgo: 20)], rules: rules)
        #expect(resumed.attempts.first?.count == 2)
        #expect(resumed.eventsRead == 2)
    }
}
