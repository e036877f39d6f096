import Decommission
import Foundation
import KMSAPI
import KMSLocal

/// `decommission demo`: the whole workflow against an in-process kms-local, in under 30 seconds.
struct DemoCommand: Command {
    static let spec = CommandSpec(
        name: "demo", usage: "demo [--keep-files]",
        abstract: "Run the whole workflow against an in-process kms-local.",
        discussion: """
            Starts kms-local on a free loopback port with time compressed (a 7-day waiting period passes in
            seconds), seeds a CloudHSM key store with keys, then runs plan, accepts the flagged key, applies with
            --approve and --wait to the end, and prints the status. Then the scream test: a second store is planned
            with an observation phase, an application still decrypting with one of its disabled keys is caught in
            CloudTrail and named, and the operator rolls back with 'cancel --re-enable'. Every call goes over HTTP
            with SigV4, through the same code as against AWS.
            """,
        options: [.flag("--keep-files", "Keep the plan and audit files in ./plans-demo instead of a temporary folder.")],
        examples: ["decommission demo", "decommission demo --keep-files && decommission graph plans-demo/*.json"],
        exitCodes: [CommonExitCodes.done, CommonExitCodes.failed])

    var keepFiles: Bool

    init(_ parsed: ParsedCommandLine) throws(CLIError) {
        keepFiles = parsed.flag("--keep-files")
    }

    func run(_ context: CommandContext) async throws -> ExitCode {
        let output = context.output
        let directory = try makeDirectory(context)
        let say: @Sendable (String) -> Void = { context.io.writeStdout($0 + "\n") }

        say("== kms-local")
        var configuration = KMSLocalConfiguration()
        configuration.port = 0
        configuration.quotas = .none
        // One simulated day per real second: a 7-day waiting period passes in about 7 seconds.
        configuration.timeScale = 86_400
        configuration.seedData = try DemoSeed.encoded(now: context.dependencies.now())
        configuration.credentials[DemoSeed.applicationAccessKeyID] = DemoSeed.applicationSecret
        let server = KMSLocalServer(configuration: configuration, now: context.dependencies.now)
        try server.start()
        defer { server.stop() }
        let endpoint = server.endpoint.absoluteString
        say("kms-local listening on \(endpoint) (time scale 86400: one day per second; SigV4 checked on every call)")
        say("Seeded CloudHSM store \(DemoSeed.storeID) (\(DemoSeed.storeName), cluster \(DemoSeed.clusterID), CONNECTED) with 12 keys, plus 4 ordinary keys.")
        say("Seeded CloudHSM store \(DemoSeed.screamStoreID) (\(DemoSeed.screamStoreName)) with 2 keys, one still used by an application.")
        say("kms-local records every KMS call as a CloudTrail event and answers LookupEvents on the same port.")

        let planPath = (directory as NSString).appendingPathComponent("\(DemoSeed.storeID).json")
        let inner = innerDependencies(context, directory: directory)
        let common = ["--endpoint-url", endpoint, "--region", "us-east-1"] + (output.useColor ? [] : ["--no-color"])
        func step(_ arguments: [String]) async -> Int32 {
            say("$ decommission \(arguments.joined(separator: " "))")
            return await runCLI(arguments: arguments + common, dependencies: inner)
        }

        say("")
        say("== plan (read-only discovery)")
        let planArguments = ["plan", "--key-store", DemoSeed.storeID, "--pending-window-days", "7", "--out", planPath]
        let first = await step(planArguments)
        guard first == ExitCode.needsPerson.rawValue else { return try fail("the first plan to be blocked (exit 3)", got: first) }

        say("")
        say("== accept the flagged key")
        say("The plan is blocked: key \(DemoSeed.recentlyUsedKeyID) decrypted something two days ago. In this story its")
        say("owner confirms that was the final re-encryption job moving data to a new key, so we accept that one finding")
        say("for that one key. The waiver is recorded in the plan and covered by its fingerprint.")
        let second = await step(planArguments + ["--accept", "key-recently-used:\(DemoSeed.recentlyUsedKeyID)"])
        guard second == ExitCode.done.rawValue else { return try fail("the accepted plan to pass (exit 0)", got: second) }

        let plan = try PlanFileStore().read(planPath)
        say("")
        say("== approve")
        say("A reviewer approves fingerprint \(plan.fingerprint) (for example in the pull request adding the plan);")
        say("apply takes a unique prefix of at least 12 hex digits.")

        say("")
        say("== apply (--wait: through the 7-day waiting period, compressed)")
        let applied = await step(["apply", planPath, "--approve", String(plan.fingerprint.prefix(16)), "--wait"])
        guard applied == ExitCode.done.rawValue else { return try fail("apply --wait to finish (exit 0)", got: applied) }

        say("")
        say("== status")
        _ = await step(["status", planPath])

        let screamPath = (directory as NSString).appendingPathComponent("\(DemoSeed.screamStoreID).json")
        let caught = try await screamTest(planPath: screamPath, endpoint: server.endpoint, context: context, say: say, step: step)
        guard caught else { return try fail("the scream test to catch the application (exit 3)", got: 0) }

        say("")
        say("Demo complete: plan complete, store \(DemoSeed.storeID) deleted through kms-local over HTTP and SigV4.")
        say("Plan file:  \(planPath)")
        say("Audit log:  \(AuditLog.path(forPlan: planPath))")
        if !keepFiles {
            try? FileManager.default.removeItem(atPath: directory)
            say("(temporary files removed; run 'decommission demo --keep-files' to keep them in ./plans-demo)")
        }
        return .done
    }

    private func makeDirectory(_ context: CommandContext) throws -> String {
        let path = keepFiles
            ? context.absolutePath("plans-demo")
            : (NSTemporaryDirectory() as NSString).appendingPathComponent("decommission-demo-\(UUID().uuidString.prefix(8))")
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw DecommissionError(code: .fileSystem, message: "Could not create the demo folder '\(path)': \(error.localizedDescription).")
        }
        return path
    }

    /// The demo's own environment: kms-local's credentials, no shared files and no profile, so the
    /// operator's AWS setup can neither leak in nor be used.
    private func innerDependencies(_ context: CommandContext, directory: String) -> CLIDependencies {
        var inner = context.dependencies
        inner.environment = [
            "AWS_ACCESS_KEY_ID": KMSLocalConfiguration.defaultAccessKeyID,
            "AWS_SECRET_ACCESS_KEY": KMSLocalConfiguration.defaultSecretAccessKey,
            "AWS_REGION": "us-east-1", "AWS_EC2_METADATA_DISABLED": "true",
            "AWS_CONFIG_FILE": directory + "/no-config", "AWS_SHARED_CREDENTIALS_FILE": directory + "/no-credentials",
            "HOME": directory,
        ]
        if let noColor = context.environment["NO_COLOR"] { inner.environment["NO_COLOR"] = noColor }
        inner.currentDirectory = directory
        return inner
    }

    private func fail(_ expectation: String, got status: Int32) throws -> ExitCode {
        // A signal interrupted the inner command: report it as an interruption (130/143), not a failure.
        if status == ExitCode.interrupted.rawValue { throw CancellationError() }
        throw DecommissionError(
            code: .stepFailed, message: "The demo expected \(expectation) but the command exited \(status); see the output above.")
    }
}
