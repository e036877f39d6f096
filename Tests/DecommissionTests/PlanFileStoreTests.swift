import Foundation
import Testing

@testable import Decommission

struct PlanFileStoreTests {
    typealias F = PlannerFixtures

    private func fixture(_ name: String) throws -> Data {
        let url = try #require(Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures"))
        return try Data(contentsOf: url)
    }

    private func mutated(_ transform: (inout [String: Any]) -> Void) throws -> Data {
        // JSONSerialization is used only here, to damage a valid file in ways the model cannot express.
        var object = try #require(try JSONSerialization.jsonObject(with: try fixture("plan-v1-representative")) as? [String: Any])
        transform(&object)
        return try JSONSerialization.data(withJSONObject: object)
    }

    @Test func roundTripsTheV1FixtureByteForByte() throws {
        let data = try fixture("plan-v1-representative")
        let store = PlanFileStore()
        let plan = try store.decode(data, path: "plan-v1-representative.json")
        #expect(try store.encode(plan) == data)
        #expect(PlanFingerprint.verify(plan))
        #expect(plan == (try F.representativePlan()))
    }

    @Test func writesAndReadsBackWithMode0600() throws {
        try F.withTemporaryDirectory { dir in
            let path = dir + "/plan.json"
            let plan = try F.representativePlan()
            try PlanFileStore().write(plan, to: path)
            #expect(try PlanFileStore().read(path) == plan)
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == (try PlanFileStore().encode(plan)))
            let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber
            #expect(mode?.intValue == 0o600)
        }
    }

    @Test func progressedPlanRoundTripsWithEveryOptionalField() throws {
        try F.withTemporaryDirectory { dir in
            var plan = try F.representativePlan()
            plan.approval = Approval(approvedAt: F.now, method: .fingerprint, fingerprint: plan.fingerprint, approvedBy: "ops@host")
            plan.steps[0].status = .done
            plan.steps[0].attempts = 1
            plan.steps[0].startedAt = F.now
            plan.steps[0].finishedAt = F.now
            plan.steps[1].status = .failed
            plan.steps[1].error = StepError(code: "kms.throttled", message: "Rate exceeded.", awsErrorType: "ThrottlingException", requestID: "r-2")
            plan.steps[2].status = .waiting
            plan.steps[2].notBefore = F.now.addingTimeInterval(F.day)
            plan.steps[2].result = StepResult(
                deletionDate: F.now, keyState: "PendingDeletion", connectionState: "CONNECTED", requestID: "r-3", note: "kept",
                lastCheckedAt: F.now, checks: 2)
            plan.cancellation = Cancellation(cancelledAt: F.now, reEnable: true, savedKeys: ["k"], completed: true)
            plan.updatedAt = F.now
            let path = dir + "/progressed.json"
            try PlanFileStore().write(plan, to: path)
            #expect(try PlanFileStore().read(path) == plan)
            #expect(PlanFingerprint.verify(plan))
            F.exportArtifact(path, name: "filestore-progressed")
        }
    }

    @Test func rejectsAnUnsupportedSchemaVersion() throws {
        let data = try mutated { $0["schemaVersion"] = 2 }
        let error = try #require(throws: DecommissionError.self) { try PlanFileStore().decode(data, path: "x.json") }
        #expect(error.code == .unsupportedSchemaVersion)
    }

    @Test func rejectsTheWrongKind() throws {
        let data = try mutated { $0["kind"] = "checkpoint" }
        let error = try #require(throws: DecommissionError.self) { try PlanFileStore().decode(data, path: "x.json") }
        #expect(error.code == .unsupportedSchemaVersion)
    }

    @Test func rejectsGarbage() throws {
        let error = try #require(throws: DecommissionError.self) { try PlanFileStore().decode(Data("{not json".utf8), path: "x.json") }
        #expect(error.code == .invalidPlan)
    }

    @Test func rejectsAMissingField() throws {
        let data = try mutated { $0.removeValue(forKey: "steps") }
        let error = try #require(throws: DecommissionError.self) { try PlanFileStore().decode(data, path: "x.json") }
        #expect(error.code == .invalidPlan)
        #expect(error.message.contains("steps"))
    }

    @Test func rejectsAMissingFile() throws {
        try F.withTemporaryDirectory { dir in
            let error = try #require(throws: DecommissionError.self) { try PlanFileStore().read(dir + "/none.json") }
            #expect(error.code == .unreadablePlan)
        }
    }
}
