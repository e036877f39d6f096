import Decommission
import Foundation
import Testing

@testable import decommission_cli

/// `plan`, `status` and `apply` show one point of no return and one expected completion.
struct TimelineAgreementTests {
    struct Dates: Decodable {
        var planFile: String?
        var fingerprint: String?
        var pointOfNoReturn: String?
        var expectedCompletion: String?
    }

    @Test func planStatusAndApplyPrintTheSameDates() async throws {
        let now = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
        try await EndToEndTests.withServer { endpoint, directory in
            func run(_ arguments: [String]) async throws -> Dates {
                let result = await CLIHarness.run(
                    arguments + ["--endpoint-url", endpoint, "--output", "json"], environment: CLIHarness.credentialsEnvironment,
                    directory: directory, now: { now })
                #expect(result.status == 0, "\(arguments): \(result.stderr)")
                return try JSONDecoder().decode(Dates.self, from: Data(result.stdout.utf8))
            }
            let plan = try await run([
                "plan", "--key-store", DemoSeed.storeName, "--pending-window-days", "7", "--accept", "key-recently-used:\(DemoSeed.recentlyUsedKeyID)",
            ])
            let planFile = try #require(plan.planFile)
            let status = try await run(["status", planFile])
            let apply = try await run(["apply", planFile, "--dry-run", "--approve", String(try #require(plan.fingerprint).prefix(12))])
            #expect(plan.expectedCompletion != nil)
            #expect(status.expectedCompletion == plan.expectedCompletion)
            #expect(apply.expectedCompletion == plan.expectedCompletion)
            #expect(status.pointOfNoReturn == plan.pointOfNoReturn)
            #expect(apply.pointOfNoReturn == plan.pointOfNoReturn)
        }
    }
}
