import Decommission
import Foundation
import KMSAPI
import KMSLocal

extension DemoCommand {
    /// The scream test: the second store's plan disables its keys and observes; an application
    /// still decrypting with one of them is caught in CloudTrail and named, and the operator rolls back.
    /// - Returns: whether the run stopped on the attempt (exit 3) as the story needs.
    func screamTest(
        planPath: String, endpoint: URL, context: CommandContext, say: @Sendable (String) -> Void,
        step: ([String]) async -> Int32
    ) async throws -> Bool {
        say("")
        say("== scream test (observation hears an application still using a disabled key)")
        say("Store \(DemoSeed.screamStoreID) is retired with an observation phase: its keys are disabled first, and for the")
        say("whole observation every resume reads CloudTrail for calls that fail because a key is disabled.")
        let application = KMSClient(
            configuration: KMSClientConfiguration(region: "us-east-1", endpoint: endpoint, userAgent: "monthly-reports/2.3"),
            credentials: StaticCredentialProvider(
                Credentials(accessKeyID: DemoSeed.applicationAccessKeyID, secretAccessKey: DemoSeed.applicationSecret)),
            transport: context.dependencies.transport, rateLimiter: .unlimited, clock: context.dependencies.clock,
            now: context.dependencies.now, random: .system(), observer: nil)
        let planned = await step([
            "plan", "--key-store", DemoSeed.screamStoreID, "--pending-window-days", "7", "--observe-days", "0.01",
            "--cloudtrail-lag", "0", "--out", planPath,
        ])
        guard planned == ExitCode.done.rawValue else { return false }
        // The reports job has not run for months; today it encrypts its new report (the key is still enabled).
        let report = try await application.encrypt(Data("november report".utf8), keyID: DemoSeed.screamKeyID)
        guard let ciphertext = report.ciphertextBlob else { return false }
        let plan = try PlanFileStore().read(planPath)
        let started = await step(["apply", planPath, "--approve", String(plan.fingerprint.prefix(16))])
        guard started == ExitCode.waiting.rawValue else { return false }

        say("")
        say("Meanwhile the monthly reports job (\(DemoSeed.applicationRole)) runs and tries to decrypt with key")
        say("\(DemoSeed.screamKeyID); KMS refuses it (DisabledException), and CloudTrail records the refusal.")
        do {
            _ = try await application.decrypt(ciphertext, keyID: DemoSeed.screamKeyID)
        } catch let error as KMSError {
            say("  monthly-reports: Decrypt failed: \(error.awsErrorType ?? error.code.rawValue)")
        }

        say("")
        say("The next resume (from cron) reads CloudTrail for each disabled key since it was disabled:")
        let resumed = await step(["apply", planPath, "--resume"])
        guard resumed == ExitCode.needsPerson.rawValue else { return false }

        say("")
        say("== roll back (what the operator does next)")
        say("The run stopped before any ScheduleKeyDeletion. The operator re-enables the keys so the reports job")
        say("works again, and talks to its owner before planning this store again.")
        _ = await step(["cancel", planPath, "--re-enable"])
        return true
    }
}
