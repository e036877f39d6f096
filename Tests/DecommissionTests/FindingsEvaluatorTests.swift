import Foundation
import Testing

@testable import Decommission

struct FindingsEvaluatorTests {
    typealias F = PlannerFixtures

    private func evaluate(_ keys: [PlannedKey], options: PlanOptions = PlanOptions()) -> [Finding] {
        evaluate(F.cloudHSMTarget(), keys, options: options)
    }

    private func evaluate(_ target: PlanTarget, _ keys: [PlannedKey], options: PlanOptions = PlanOptions()) -> [Finding] {
        FindingsEvaluator.evaluate(target: target, keys: keys, options: options, now: F.now)
    }

    private func codes(_ findings: [Finding], key: String? = nil) -> Set<FindingCode> {
        Set(findings.filter { key == nil || $0.keyID == key }.map(\.code))
    }

    @Test func recentUseWithinMinIdleDaysBlocks() throws {
        let findings = evaluate([F.key("k1", usage: F.used(daysAgo: 2))])
        let finding = try #require(findings.first { $0.code == .keyRecentlyUsed })
        #expect(finding.severity == .block)
        #expect(finding.keyID == "k1")
        #expect(!finding.waived)
    }

    @Test func useOlderThanMinIdleDaysDoesNotBlock() {
        let findings = evaluate([F.key("k1", usage: F.used(daysAgo: 31))])
        #expect(!codes(findings).contains(.keyRecentlyUsed))
        let shorter = evaluate([F.key("k1", usage: F.used(daysAgo: 2))], options: PlanOptions(minIdleDays: 1.5))
        #expect(!codes(shorter).contains(.keyRecentlyUsed))
    }

    @Test func usageUnknownBeforeTrackingWarns() throws {
        let usage = UsageEvidence(verdict: .unknownBeforeTracking, trackingStartDate: F.trackingStart)
        let finding = try #require(evaluate([F.key("k1", usage: usage)]).first { $0.code == .usageUnknownBeforeTracking })
        #expect(finding.severity == .warn)
    }

    @Test func neverUsedKeyHasNoUsageFinding() {
        let found = codes(evaluate([F.key("k1", state: "Disabled")]), key: "k1")
        #expect(found.isEmpty)
    }

    @Test func grantsWarnAndAliasesInform() throws {
        let findings = evaluate([F.key("k1", state: "Disabled", aliases: ["alias/a"], grants: 2)])
        #expect(findings.first { $0.code == .keyHasGrants }?.severity == .warn)
        #expect(findings.first { $0.code == .keyHasAliases }?.severity == .info)
    }

    @Test func enabledKeyWithoutObservationWarns() {
        #expect(evaluate([F.key("k1")]).first { $0.code == .keyEnabledNoObservation }?.severity == .warn)
        #expect(!codes(evaluate([F.key("k1")], options: PlanOptions(observeDays: 0.5))).contains(.keyEnabledNoObservation))
    }

    @Test func pendingDeletionKeyIsInfo() {
        let key = F.key("k1", state: "PendingDeletion", deletionDate: F.now.addingTimeInterval(F.day))
        #expect(evaluate([key]).first { $0.code == .keyAlreadyPendingDeletion }?.severity == .info)
    }

    @Test func disconnectedCloudHSMStoreWarnsWithoutConnectAndInformsWithIt() {
        let target = F.cloudHSMTarget(state: "DISCONNECTED")
        #expect(evaluate(target, [F.key("k1")]).first { $0.code == .storeNotConnected }?.severity == .warn)
        #expect(evaluate(target, [F.key("k1")], options: PlanOptions(connect: true)).first { $0.code == .storeNotConnected }?.severity == .info)
    }

    @Test func disconnectedXKSStoreHasNoConnectionFinding() {
        #expect(!codes(evaluate(F.xksTarget(state: "DISCONNECTED"), [F.key("k1")])).contains(.storeNotConnected))
    }

    @Test func failedStoreBlocks() {
        let findings = evaluate(F.cloudHSMTarget(state: "FAILED", errorCode: "NETWORK_ERRORS"), [F.key("k1")])
        #expect(findings.first { $0.code == .storeFailed }?.severity == .block)
    }

    @Test func residueFindingsFollowStoreType() {
        #expect(codes(evaluate([F.key("k1")])).contains(.hsmResidue))
        #expect(!codes(evaluate([F.key("k1")])).contains(.xksResidue))
        let xks = evaluate(F.xksTarget(), [F.key("k1", xksKeyID: "ext-1")])
        #expect(codes(xks).contains(.xksResidue))
        #expect(xks.first { $0.code == .xksResidue }?.message.contains("ext-1") == true)
    }

    @Test func emptyStoreIsInfo() {
        #expect(evaluate([]).first { $0.code == .storeEmpty }?.severity == .info)
    }

    @Test func findingsAreOrderedBySeverity() {
        let findings = evaluate([F.key("k1", aliases: ["alias/a"], grants: 1, usage: F.used(daysAgo: 1))])
        #expect(findings.map(\.severity) == findings.map(\.severity).sorted())
    }

    // MARK: - Waivers

    @Test func waiverForOneKeyMarksOnlyThatKey() throws {
        let findings = evaluate([F.key("k1", usage: F.used(daysAgo: 1)), F.key("k2", usage: F.used(daysAgo: 1))])
        let waived = try FindingsEvaluator.applyWaivers(["key-recently-used:k1"], to: findings)
        #expect(waived.first { $0.code == .keyRecentlyUsed && $0.keyID == "k1" }?.waived == true)
        #expect(waived.first { $0.code == .keyRecentlyUsed && $0.keyID == "k2" }?.waived == false)
        #expect(waived.count == findings.count)
    }

    @Test func waiverWithoutKeyMarksEveryKey() throws {
        let findings = evaluate([F.key("k1", usage: F.used(daysAgo: 1)), F.key("k2", usage: F.used(daysAgo: 1))])
        let waived = try FindingsEvaluator.applyWaivers(["key-recently-used"], to: findings)
        #expect(waived.filter { $0.code == .keyRecentlyUsed }.allSatisfy { $0.waived })
    }

    @Test(arguments: ["no-such-code", "key-has-grants:k1", "key-recently-used:other-key", "store-failed"])
    func invalidWaiverIsRejected(_ argument: String) throws {
        let findings = evaluate([F.key("k1", grants: 1, usage: F.used(daysAgo: 1))])
        let error = try #require(throws: DecommissionError.self) { try FindingsEvaluator.applyWaivers([argument], to: findings) }
        #expect(error.code == .invalidWaiver)
    }

    @Test func residueMessageNamesAFewARNsAndCountsTheRest() throws {
        let keys = (1...5).map { PlannerFixtures.key("dddd000\($0)") }
        let findings = FindingsEvaluator.evaluate(
            target: PlannerFixtures.cloudHSMTarget(), keys: keys, options: PlanOptions(), now: PlannerFixtures.now)
        let residue = try #require(findings.first { $0.code == .hsmResidue })
        #expect(residue.message.contains("key/dddd0001"))
        #expect(!residue.message.contains("key/dddd0004"))
        #expect(residue.message.contains("and 2 more listed with the plan's keys"))
    }
}
