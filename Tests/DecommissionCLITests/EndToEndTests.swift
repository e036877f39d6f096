import Decommission
import Foundation
import KMSLocal
import Testing

@testable import decommission_cli

/// In-process runs of the CLI against an in-process kms-local over HTTP with SigV4.
struct EndToEndTests {
    struct JSONObject: Decodable {
        var customKeyStores: [[String: AnyValue]]?
        var planFile: String?
        var fingerprint: String?
        var blocked: Bool?
        var keys: [[String: AnyValue]]?
        var findings: [Finding]?
        var status: String?
        var nextActionAt: String?
        var stepsRun: Int?
        var checkpointBytesWritten: Int?
        var phase: String?
        var steps: [[String: AnyValue]]?
        var error: ErrorBody?

        struct Finding: Decodable {
            var code: String
            var severity: String
            var keyId: String?
            var waived: Bool
        }
        struct ErrorBody: Decodable {
            var code: String
            var message: String
        }
    }

    /// Any JSON scalar or container, enough to count and spot-check fields.
    struct AnyValue: Decodable {
        var string: String?
        init(from decoder: any Decoder) throws {
            string = try? decoder.singleValueContainer().decode(String.self)
        }
    }

    static func decode(_ text: String) throws -> JSONObject {
        try JSONDecoder().decode(JSONObject.self, from: Data(text.utf8))
    }

    /// Starts a seeded kms-local (by default one simulated hour per second, so a 7-day waiting
    /// period outlasts apply's inline wait and apply exits 75), runs `body`, then stops it.
    static func withServer<T>(timeScale: Double = 3_600, _ body: (_ endpoint: String, _ directory: String) async throws -> T) async throws -> T {
        var configuration = KMSLocalConfiguration()
        configuration.port = 0
        configuration.timeScale = timeScale
        configuration.seedData = try DemoSeed.encoded(now: Date())
        let server = KMSLocalServer(configuration: configuration, now: { Date() })
        try server.start()
        defer { server.stop() }
        return try await CLIHarness.withTemporaryDirectory { directory in
            try await body(server.endpoint.absoluteString, directory)
        }
    }

    static func run(_ arguments: [String], endpoint: String, directory: String) async -> CLIRun {
        await CLIHarness.run(
            arguments + ["--endpoint-url", endpoint], environment: CLIHarness.credentialsEnvironment, directory: directory)
    }

    @Test func listsKeyStoresAsJSONAndText() async throws {
        try await Self.withServer { endpoint, directory in
            let json = await Self.run(["list-key-stores", "--output", "json"], endpoint: endpoint, directory: directory)
            #expect(json.status == 0)
            let stores = try #require(try Self.decode(json.stdout).customKeyStores)
            // The demo seed's two stores: the one retired to the end, and the scream test's.
            #expect(stores.count == 2)
            #expect(stores.map { $0["CustomKeyStoreId"]?.string } == [DemoSeed.storeID, DemoSeed.screamStoreID])
            #expect(stores.first?["ConnectionState"]?.string == "CONNECTED")

            let text = await Self.run(["list-key-stores"], endpoint: endpoint, directory: directory)
            #expect(text.status == 0)
            #expect(text.stdout.contains(DemoSeed.storeID) && text.stdout.contains(DemoSeed.storeName))
        }
    }

    @Test func plansAppliesAndReportsStatus() async throws {
        try await Self.withServer { endpoint, directory in
            let planArguments = ["plan", "--key-store", DemoSeed.storeName, "--pending-window-days", "7", "--output", "json"]
            let blocked = await Self.run(planArguments, endpoint: endpoint, directory: directory)
            #expect(blocked.status == 3)
            let blockedResult = try Self.decode(blocked.stdout)
            #expect(blockedResult.blocked == true)
            #expect(blockedResult.keys?.count == 12)
            let flagged = try #require(blockedResult.findings?.first { $0.code == "key-recently-used" })
            #expect(flagged.severity == "block" && flagged.keyId == DemoSeed.recentlyUsedKeyID && !flagged.waived)

            let accepted = await Self.run(
                planArguments + ["--accept", "key-recently-used:\(DemoSeed.recentlyUsedKeyID)"], endpoint: endpoint, directory: directory)
            #expect(accepted.status == 0)
            let plan = try Self.decode(accepted.stdout)
            let planFile = try #require(plan.planFile)
            let fingerprint = try #require(plan.fingerprint)
            #expect(planFile == directory + "/plans/\(DemoSeed.storeID).json")
            #expect(plan.findings?.first { $0.code == "key-recently-used" }?.waived == true)

            let unapproved = await Self.run(["apply", planFile, "--output", "json"], endpoint: endpoint, directory: directory)
            #expect(unapproved.status == 3)
            #expect(try Self.decode(unapproved.stdout).error?.code == "apply.approval-required")

            let wrong = await Self.run(["apply", planFile, "--approve", "0123456789ab"], endpoint: endpoint, directory: directory)
            #expect(wrong.status == 3)
            #expect(wrong.stderr.contains("(apply.approval-mismatch)"))

            let dryRun = await Self.run(["apply", planFile, "--dry-run", "--approve", String(fingerprint.prefix(12))], endpoint: endpoint, directory: directory)
            #expect(dryRun.status == 0)
            #expect(dryRun.stdout.contains("DescribeCustomKeyStores") || dryRun.stdout.contains("Would call now"))

            let applied = await Self.run(
                ["apply", planFile, "--approve", String(fingerprint.prefix(12)), "--output", "json"], endpoint: endpoint, directory: directory)
            #expect(applied.status == 75)
            let applyResult = try Self.decode(applied.stdout)
            #expect(applyResult.status == "waiting")
            #expect(applyResult.nextActionAt != nil)
            #expect((applyResult.stepsRun ?? 0) > 0)
            // The approval alone rewrites the whole plan, so at least the plan's size was written.
            let planBytes = try Data(contentsOf: URL(fileURLWithPath: planFile)).count
            #expect((applyResult.checkpointBytesWritten ?? 0) >= planBytes)

            let again = await Self.run(["apply", planFile], endpoint: endpoint, directory: directory)
            #expect(again.status == 2)
            #expect(again.stderr.contains("(apply.resume-required)"))

            let status = await Self.run(["status", planFile, "--output", "json"], endpoint: endpoint, directory: directory)
            #expect(status.status == 0)
            let statusResult = try Self.decode(status.stdout)
            #expect(statusResult.phase == "waiting-for-deletion")
            #expect(statusResult.steps?.count == 31)

            let folder = await Self.run(["status", directory + "/plans"], endpoint: endpoint, directory: directory)
            #expect(folder.status == 0)
            #expect(folder.stdout.contains("\(DemoSeed.storeID).json") && folder.stdout.contains("waiting-for-deletion"))

            let graph = await Self.run(["graph", planFile, "--format", "mermaid"], endpoint: endpoint, directory: directory)
            #expect(graph.status == 0)
            #expect(graph.stdout.hasPrefix("flowchart TD"))
        }
    }

    @Test func refusesATamperedPlanWithExitTwo() async throws {
        try await Self.withServer { endpoint, directory in
            let made = await Self.run(
                ["plan", "--key-store", DemoSeed.storeID, "--accept", "key-recently-used", "--out", "p.json"], endpoint: endpoint,
                directory: directory)
            #expect(made.status == 0)
            let path = directory + "/p.json"
            let original = try String(contentsOfFile: path, encoding: .utf8)
            try original.replacingOccurrences(of: "\"pendingWindowDays\" : 30", with: "\"pendingWindowDays\" : 7")
                .write(toFile: path, atomically: true, encoding: .utf8)
            let applied = await Self.run(["apply", path, "--approve", String(repeating: "0", count: 12)], endpoint: endpoint, directory: directory)
            #expect(applied.status == 2)
            #expect(applied.stderr.contains("(checkpoint.plan-mismatch)"))
        }
    }

    @Test func unknownStoreIsAUsageError() async throws {
        try await Self.withServer { endpoint, directory in
            let run = await Self.run(["plan", "--key-store", "cks-00000000000000000"], endpoint: endpoint, directory: directory)
            #expect(run.status == 2)
            #expect(run.stderr.contains("(plan.store-not-found)"))
        }
    }
}
