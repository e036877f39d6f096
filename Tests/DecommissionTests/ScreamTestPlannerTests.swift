import Foundation
import KMSAPI
import TestSupport
import Testing

@testable import Decommission

/// Plan-time CloudTrail evidence (FakeKMS + FakeCloudTrail): attempted use blocks, successful use
/// that GetKeyLastUsage missed is recent use, an unreadable CloudTrail is reported.
struct ScreamTestPlannerTests {
    typealias Seed = PlannerSeed
    let trail = FakeCloudTrail()
    static let keyA = "aaaa0001-0000-4000-8000-000000000001"
    static let keyB = "aaaa0002-0000-4000-8000-000000000002"
    static let keyC = "aaaa0003-0000-4000-8000-000000000003"

    func arn(_ id: String) -> String { "arn:aws:kms:us-east-1:111122223333:key/\(id)" }

    func plan(_ options: PlanOptions = PlanOptions(), tool: ToolIdentity = ToolIdentity()) async throws -> Plan {
        let kms = FakeKMS(account: Seed.state(), time: VirtualTime(Seed.now))
        let planner = Planner(
            kms: kms, now: { Seed.now }, makeID: { "plan-test" }, toolVersion: "0.1.0-test",
            cloudTrail: CloudTrailEvidenceSource(gateway: trail, tool: tool))
        return try await planner.makePlan(PlanRequest(keyStore: Seed.storeID, options: options, region: "us-east-1", endpoint: "http://fake"))
    }

    @Test func failedDecryptsBlockWithKeyUseAttemptedNamingThePrincipal() async throws {
        await trail.record("Decrypt", keyARN: arn(Self.keyC), at: Seed.now.addingTimeInterval(-10 * 86_400), count: 4)
        await trail.record("Decrypt", keyARN: arn(Self.keyC), at: Seed.now.addingTimeInterval(-60 * 86_400))  // before --min-idle-days 30
        let plan = try await plan()
        let finding = try #require(plan.findings.first { $0.code == .keyUseAttempted })
        #expect(finding.severity == .block && finding.keyID == Self.keyC && plan.blocked)
        #expect(finding.message.contains("arn:aws:iam::111122223333:role/billing-app Decrypt x4 (DisabledException)"))
        #expect(finding.message.contains("from 10.0.3.7"))
        #expect(plan.keys.first { $0.keyID == Self.keyC }?.cloudTrail?.attempts.first?.count == 4)
        #expect(plan.findings.filter { $0.code == .keyUseAttempted }.count == 1)
        let evidence = try #require(plan.evidence)
        #expect(evidence.keysRead == 3 && evidence.eventsRead == 4 && evidence.isAvailable)
        #expect(evidence.windowEnd == Seed.now.addingTimeInterval(-15 * 60))
        #expect(plan.options.guardHours == 24 && plan.options.cloudTrailLagMinutes == 15 && plan.options.cancelOnUse == false)
        #expect(PlanFingerprint.verify(plan))
        let summary = PlanSummaryRenderer.render(plan, now: Seed.now, color: false)
        #expect(summary.contains("4 event(s) of 3 key(s) read"))
        #expect(summary.contains("Guard: 24 h before each DeletionDate; lag 15 min"))
        try PlannerFixtures.withTemporaryDirectory { directory in
            try PlanFileStore().write(plan, to: directory + "/plan.json")
            PlannerFixtures.exportArtifact(directory + "/plan.json", name: "scream-test-plan")
        }
    }

    @Test func successfulUseMissedByGetKeyLastUsageIsRecentUse() async throws {
        await trail.record("Encrypt", keyARN: arn(Self.keyC), at: Seed.now.addingTimeInterval(-2 * 86_400), errorCode: nil)
        let plan = try await plan()
        let finding = try #require(plan.findings.first { $0.code == .keyRecentlyUsed && $0.keyID == Self.keyC })
        #expect(finding.message.contains("per CloudTrail"))
        #expect(!plan.findings.contains { $0.code == .keyUseAttempted })
    }

    @Test func theToolsOwnCallsAreNeverEvidence() async throws {
        await trail.record("DescribeKey", keyARN: arn(Self.keyC), at: Seed.now.addingTimeInterval(-86_400), errorCode: "AccessDeniedException",
            accessKeyID: "AKIATOOL000000000001")
        let plan = try await plan(tool: ToolIdentity(accessKeyIDs: ["AKIATOOL000000000001"]))
        #expect(!plan.findings.contains { $0.code == .keyUseAttempted })
        #expect(plan.evidence?.eventsRead == 1)
    }

    @Test func deniedLookupIsAWarningWithoutObservationAndBlocksWithIt() async throws {
        await trail.fail(with: KMSError(code: .accessDenied, message: "no cloudtrail:LookupEvents", awsErrorType: "AccessDeniedException"))
        let warned = try await plan(PlanOptions(accepted: ["key-recently-used"]))
        let warning = try #require(warned.findings.first { $0.code == .cloudTrailUnavailable })
        #expect(warning.severity == .warn)
        #expect(warning.message.contains("AccessDeniedException"))
        #expect(warned.evidence?.isAvailable == false)
        // One denied call is enough: later keys are not asked again.
        #expect(await trail.requests.count == 1)
        let blind = try await plan(PlanOptions(observeDays: 7, accepted: ["key-recently-used"]))
        #expect(blind.findings.first { $0.code == .cloudTrailUnavailable }?.severity == .block)
        #expect(blind.blocked)
    }

    @Test func windowIsLimitedTo90DaysAndSaysSo() async throws {
        await trail.record("Sign", keyARN: arn(Self.keyC), at: Seed.now.addingTimeInterval(-89 * 86_400))
        let plan = try await plan(PlanOptions(minIdleDays: 200))
        #expect(plan.evidence?.limitedByRetention == true)
        #expect(plan.findings.first { $0.code == .keyUseAttempted }?.message.contains("90 days") == true)
    }

    @Test func aPlanWithoutCloudTrailFieldsKeepsItsFingerprint() throws {
        let plan = try PlannerFixtures.representativePlan()
        let data = try JSONCoding.makeEncoder().encode(plan)
        let text = String(decoding: data, as: UTF8.self)
        #expect(!text.contains("guardHours") && !text.contains("\"evidence\"") && !text.contains("cloudTrail"))
        #expect(PlanFingerprint.verify(try JSONCoding.makeDecoder().decode(Plan.self, from: data)))
    }
}
