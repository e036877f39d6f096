import Foundation
import Testing

@testable import Decommission

struct PlanFingerprintTests {
    typealias F = PlannerFixtures

    @Test func isStableAcrossComputationsAndEncodings() throws {
        let plan = try F.representativePlan()
        #expect(PlanFingerprint.compute(plan) == PlanFingerprint.compute(plan))
        #expect(plan.fingerprint.count == 64)
        #expect(plan.fingerprint.allSatisfy { $0.isHexDigit && !$0.isUppercase })
        let reread = try PlanFileStore().decode(try PlanFileStore().encode(plan), path: "memory")
        #expect(PlanFingerprint.compute(reread) == plan.fingerprint)
        #expect(PlanFingerprint.verify(reread))
    }

    @Test func changesWithIntent() throws {
        let plan = try F.representativePlan()
        var options = plan
        options.options.pendingWindowDays = 7
        var key = plan
        key.keys[0].grantCount += 1
        var waiver = plan
        waiver.findings[0].waived.toggle()
        var target = plan
        target.target.region = "eu-west-1"
        var graph = plan
        graph.steps.removeLast()
        for edited in [options, key, waiver, target, graph] {
            #expect(PlanFingerprint.compute(edited) != plan.fingerprint)
            #expect(!PlanFingerprint.verify(edited))
        }
    }

    @Test func isUnaffectedByProgress() throws {
        var plan = try F.representativePlan()
        let fingerprint = plan.fingerprint
        plan.steps[0].status = .done
        plan.steps[0].attempts = 2
        plan.steps[0].startedAt = F.now
        plan.steps[0].finishedAt = F.now
        plan.steps[1].result = StepResult(deletionDate: F.now, requestID: "r")
        plan.steps[1].error = StepError(code: "kms.throttled", message: "x")
        plan.approval = Approval(approvedAt: F.now, method: .fingerprint, fingerprint: fingerprint, approvedBy: "me@host")
        plan.updatedAt = F.now
        #expect(PlanFingerprint.compute(plan) == fingerprint)
        #expect(PlanFingerprint.verify(plan))
    }

    @Test func approvalMatchesWholeValueOrLongPrefix() throws {
        let fingerprint = try F.representativePlan().fingerprint
        #expect(PlanFingerprint.matches(fingerprint, fingerprint: fingerprint))
        #expect(PlanFingerprint.matches(String(fingerprint.prefix(12)).uppercased(), fingerprint: fingerprint))
        #expect(!PlanFingerprint.matches(String(fingerprint.prefix(11)), fingerprint: fingerprint))
        #expect(!PlanFingerprint.matches("000000000000", fingerprint: fingerprint) || fingerprint.hasPrefix("000000000000"))
    }
}
