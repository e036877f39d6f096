import Foundation
import KMSAPI
import KMSLocal
import Testing

/// End-to-end runs of the built `decommission` executable, checking stdout, stderr and exit status.
struct BuiltBinaryTests {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// An executable beside the test bundle in the build folder (`.build/<triple>/debug/decommission`).
    static func binaryURL(_ name: String = "decommission") throws -> URL {
        let buildDirectory = Bundle.module.bundleURL.deletingLastPathComponent()
        let url = buildDirectory.appendingPathComponent(name)
        try #require(FileManager.default.isExecutableFile(atPath: url.path), "build the product first: swift build")
        return url
    }

    /// Runs the binary to completion with output sent to temporary files (no pipe-buffer deadlock).
    static func run(
        _ arguments: [String], executable: String = "decommission", environment: [String: String] = [:], in directory: String? = nil
    ) throws -> Result {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("decommission-bin-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outURL = scratch.appendingPathComponent("stdout")
        let errURL = scratch.appendingPathComponent("stderr")
        try #require(FileManager.default.createFile(atPath: outURL.path, contents: nil))
        try #require(FileManager.default.createFile(atPath: errURL.path, contents: nil))
        let process = Process()
        process.executableURL = try binaryURL(executable)
        process.arguments = arguments
        process.environment = ["PATH": "/usr/bin:/bin", "HOME": scratch.path, "AWS_EC2_METADATA_DISABLED": "true"]
            .merging(environment) { $1 }
        process.currentDirectoryURL = URL(fileURLWithPath: directory ?? scratch.path)
        let outHandle = try FileHandle(forWritingTo: outURL)
        let errHandle = try FileHandle(forWritingTo: errURL)
        process.standardOutput = outHandle
        process.standardError = errHandle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try outHandle.close()
        try errHandle.close()
        return Result(
            status: process.terminationStatus,
            stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
    }

    @Test func printsItsVersion() throws {
        let result = try Self.run(["--version"])
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("decommission "))
        #expect(result.stderr.isEmpty)
    }

    @Test func rejectsAnUnknownOptionWithExitTwo() throws {
        let result = try Self.run(["plan", "--key-store", "cks-1", "--pending-window", "7"])
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.hasPrefix("error: Unknown option '--pending-window'"))
        #expect(result.stderr.hasSuffix("(cli.unknown-option)\n"))
    }
}

extension BuiltBinaryTests {
    @Test func demoRunsTheWholeWorkflow() throws {
        let result = try Self.run(["demo", "--no-color"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        for phase in ["== kms-local", "== plan", "== accept", "== approve", "== apply", "== status", "== scream test", "== roll back", "Demo complete"] {
            #expect(result.stdout.contains(phase))
        }
        #expect(result.stdout.contains("phase               completed"))
        // The scream test names the application's role and the rollback, and stopped before any deletion was scheduled.
        #expect(result.stdout.contains("role/monthly-reports Decrypt x1 (DisabledException)"))
        #expect(result.stdout.contains("No deletion was scheduled."))
        #expect(result.stdout.contains("--re-enable"))
    }

    /// The table `Benchmarks/run` reads from the kms-local it benchmarks.
    @Test func kmsLocalPrintsItsQuotaTable() throws {
        let result = try Self.run(["--print-quotas"], executable: "kms-local")
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stderr.isEmpty)
        let table = try JSONDecoder().decode(QuotaTable.self, from: Data(result.stdout.utf8))
        #expect(table == QuotaTable(rates: QuotaPolicy.awsRates))
        #expect(table.requestsPerSecond["LookupEvents"] == 2)
    }

    @Test func kmsLocalRejectsAnUnknownOptionWithItsCode() throws {
        let result = try Self.run(["--print-quota"], executable: "kms-local")
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr == "error: Unknown option '--print-quota'; see kms-local --help. (kms-local.unknown-option)\n")
    }
}
