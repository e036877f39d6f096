import Foundation
import KMSAPI
import Synchronization

@testable import decommission_cli

/// Captures what the CLI writes to stdout and stderr (Mutex-guarded: the CLI writes from any task).
final class CapturedOutput: Sendable {
    private let streams = Mutex<(stdout: String, stderr: String)>(("", ""))
    var stdout: String { streams.withLock { $0.stdout } }
    var stderr: String { streams.withLock { $0.stderr } }

    func makeIO(isTTY: Bool = false, input: [String] = []) -> CLIIO {
        let lines = Mutex(input)
        return CLIIO(
            writeStdout: { text in self.streams.withLock { $0.stdout += text } },
            writeStderr: { text in self.streams.withLock { $0.stderr += text } },
            isStdoutTTY: isTTY, isStderrTTY: isTTY, isStdinTTY: isTTY,
            readLine: { lines.withLock { $0.isEmpty ? nil : $0.removeFirst() } })
    }
}

/// The result of one in-process run.
struct CLIRun {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Builds dependencies for in-process runs: real transport and clock, no shared files, static time.
enum CLIHarness {
    static let credentialsEnvironment = [
        "AWS_ACCESS_KEY_ID": "AKIDKMSLOCAL", "AWS_SECRET_ACCESS_KEY": "kms-local-secret", "AWS_REGION": "us-east-1",
        "AWS_EC2_METADATA_DISABLED": "true",
    ]

    static func makeDependencies(
        environment: [String: String] = [:], io: CLIIO, directory: String = NSTemporaryDirectory(),
        now: @escaping @Sendable () -> Date = { Date() }
    ) -> CLIDependencies {
        let clock = ContinuousClock()
        var environment = environment
        // Point the shared files at paths that do not exist so a developer's ~/.aws never leaks in.
        environment["AWS_CONFIG_FILE"] = environment["AWS_CONFIG_FILE"] ?? directory + "/no-such-config"
        environment["AWS_SHARED_CREDENTIALS_FILE"] = environment["AWS_SHARED_CREDENTIALS_FILE"] ?? directory + "/no-such-credentials"
        return CLIDependencies(
            environment: environment, io: io, currentDirectory: directory, homeDirectory: directory,
            transport: URLSessionTransport(), metadataTransport: URLSessionTransport(connectTimeout: 1, requestTimeout: 1),
            readFile: SystemFileReader.read, processRunner: FoundationProcessRunner(clock: clock), clock: clock, now: now,
            userName: "tester@test")
    }

    /// Runs the CLI in-process and returns its status and output.
    static func run(
        _ arguments: [String], environment: [String: String] = [:], isTTY: Bool = false, input: [String] = [],
        directory: String = NSTemporaryDirectory(), now: @escaping @Sendable () -> Date = { Date() }
    ) async -> CLIRun {
        let captured = CapturedOutput()
        let dependencies = makeDependencies(
            environment: environment, io: captured.makeIO(isTTY: isTTY, input: input), directory: directory, now: now)
        let status = await runCLI(arguments: arguments, dependencies: dependencies)
        return CLIRun(status: status, stdout: captured.stdout, stderr: captured.stderr)
    }

    /// Runs `body` with a fresh temporary folder, removed afterwards.
    static func withTemporaryDirectory<T>(_ body: (String) async throws -> T) async rethrows -> T {
        let path = NSTemporaryDirectory() + "decommission-cli-tests-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try await body(path)
    }
}
