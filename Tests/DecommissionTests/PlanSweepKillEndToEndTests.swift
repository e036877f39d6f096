import Foundation
import KMSAPI
import KMSLocal
import TestSupport
import Testing

@testable import Decommission

#if canImport(Glibc)
    import Glibc
#endif

/// The built `decommission plan` against kms-local under `--quotas aws` (LookupEvents 2/s):
/// killed with SIGKILL mid-sweep, then run again, it repeats no lookup of a key finished before
/// the kill (only the gap since), and the plan has every key's evidence, counted once.
struct PlanSweepKillEndToEndTests {
    static let storeID = "cks-5c2ea0000000000c1"
    static let keyCount = 16
    static let eventsPerKey = 60  // two LookupEvents pages per key (50 + 10)

    static func binary() throws -> URL {
        let url = Bundle.module.bundleURL.deletingLastPathComponent().appendingPathComponent("decommission")
        try #require(FileManager.default.isExecutableFile(atPath: url.path), "build the product first: swift build")
        return url
    }

    static func plan(_ harness: KMSLocalHarness, out: String) throws -> Process {
        let process = Process()
        process.executableURL = try binary()
        process.arguments = [
            "plan", "--key-store", storeID, "--endpoint-url", harness.endpoint.absoluteString, "--out", out, "--output", "json",
        ]
        process.environment = [
            "PATH": "/usr/bin:/bin", "HOME": harness.directory, "AWS_EC2_METADATA_DISABLED": "true", "AWS_REGION": "us-east-1",
            "AWS_ACCESS_KEY_ID": KMSLocalConfiguration.defaultAccessKeyID, "AWS_SECRET_ACCESS_KEY": KMSLocalConfiguration.defaultSecretAccessKey,
            "AWS_CONFIG_FILE": harness.directory + "/no-config", "AWS_SHARED_CREDENTIALS_FILE": harness.directory + "/no-credentials",
        ]
        process.currentDirectoryURL = URL(fileURLWithPath: harness.directory)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return process
    }

    @Test(.timeLimit(.minutes(2))) func aPlanKilledMidSweepResumesWithoutRepeatingFinishedKeys() async throws {
        let now = Date()
        let keys = (1...Self.keyCount).map { (e2eKeyID(0x5c1, $0), KeyState.disabled) }
        var seed = SeedFile.cloudHSM(storeID: Self.storeID, keys: keys, now: now)
        seed.cloudtrailEvents = keys.map {
            SeedTrailEvent(
                eventName: "Decrypt", eventTime: now.addingTimeInterval(-2 * 86_400), keyID: $0.0, errorCode: "DisabledException",
                accessKeyID: "AKIDBILLINGAPP", count: Self.eventsPerKey, intervalSeconds: 60)
        }
        let harness = try KMSLocalHarness(seedData: try SeedFile.makeEncoder().encode(seed), quotas: .aws(multiplier: 1))
        defer { harness.stop() }
        let out = harness.directory + "/plan.json"
        let progressPath = harness.directory + "/plan.sweep.json"

        // Run 1: killed (SIGKILL, no chance to save) right after the first checkpoint that holds a
        // finished key (every key's first page goes first: they are read side by side).
        let first = try Self.plan(harness, out: out)
        var waited = 0
        func finishedSoFar() -> Int {
            let saved = (try? SweepProgressFile(path: progressPath).load()) ?? nil
            return (saved?.keys ?? [:]).values.filter { $0.nextToken == nil }.count
        }
        while finishedSoFar() == 0, first.isRunning, waited < 600 {
            try await Task.sleep(for: .milliseconds(50))
            waited += 1
        }
        try #require(first.isRunning, "the plan finished before its sweep was checkpointed")
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        #expect(first.terminationReason == .uncaughtSignal)
        #expect(!FileManager.default.fileExists(atPath: out))
        let saved = try #require(try SweepProgressFile(path: progressPath).load())
        let finished = saved.keys.values.filter { $0.nextToken == nil }.count
        try #require(finished > 0 && finished < Self.keyCount)
        var info = stat()
        #expect(stat(progressPath, &info) == 0 && info.st_mode & 0o777 == 0o600)
        let progressText = String(decoding: try Data(contentsOf: URL(fileURLWithPath: progressPath)), as: UTF8.self)
        #expect(!progressText.contains(KMSLocalConfiguration.defaultSecretAccessKey))
        let afterKill = try await harness.lastSeq()
        let firstLookups = try await harness.calls().filter { $0.operation == "LookupEvents" }.count

        // Run 2: resumes. A finished key is not looked up again, a key in progress reads its last
        // page from its token, an unread key its two pages; one shared lookup reads everyone's gap.
        let second = try Self.plan(harness, out: out)
        while second.isRunning { try await Task.sleep(for: .milliseconds(100)) }
        #expect(second.terminationStatus == 3)  // written, blocked by the seeded attempted use
        let lookups = try await harness.calls(since: afterKill).filter { $0.operation == "LookupEvents" }
        #expect(lookups.allSatisfy { $0.outcome == "ok" })
        let inProgress = saved.keys.values.filter { $0.nextToken != nil }.count
        let unread = Self.keyCount - saved.keys.count
        let expected = 1 + inProgress + 2 * unread
        #expect(lookups.count == expected, "first run \(firstLookups) lookups, \(finished) keys finished, \(inProgress) in progress")
        #expect(lookups.count < 2 * Self.keyCount)
        #expect(!FileManager.default.fileExists(atPath: progressPath))

        let plan = try PlanFileStore().read(out)
        #expect(plan.keys.count == Self.keyCount)
        let counts = plan.keys.map { ($0.arn, $0.cloudTrail?.attempts.map(\.count).reduce(0, +) ?? -1, $0.cloudTrail?.eventsRead ?? -1) }
        let wrong = counts.filter { $0.1 != Self.eventsPerKey }.map { "\($0.0): \($0.1)/\($0.2) saved \(String(describing: saved.keys[$0.0]))" }
        #expect(wrong.isEmpty, "\(wrong)")
        #expect(plan.evidence?.keysRead == Self.keyCount && plan.evidence?.eventsRead == Self.keyCount * Self.eventsPerKey)
        #expect(plan.findings.filter { $0.code == .keyUseAttempted }.count == Self.keyCount)
    }
}
