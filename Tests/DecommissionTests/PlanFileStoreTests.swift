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
