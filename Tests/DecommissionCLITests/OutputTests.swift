import Decommission
import Foundation
import KMSAPI
import KMSLocal
import Testing

@testable import decommission_cli

struct OutputTests {
    @Test(arguments: [
        (DecommissionError.Code.tampered, ExitCode.usage), (.invalidPlan, .usage), (.unsupportedSchemaVersion, .usage),
        (.resumeRequired, .usage), (.invalidOption, .usage), (.invalidWaiver, .usage), (.storeNotFound, .usage),
        (.ambiguousStoreName, .usage), (.approvalRequired, .needsPerson), (.approvalMismatch, .needsPerson),
        (.lockHeld, .needsPerson), (.cancelled, .needsPerson), (.drift, .needsPerson), (.blocked, .needsPerson),
        (.planBlocked, .needsPerson), (.planExists, .needsPerson), (.stepFailed, .failed), (.fileSystem, .failed),
    ])
    func mapsDecommissionCodesToExitStatuses(code: DecommissionError.Code, expected: ExitCode) {
        #expect(Output.classify(DecommissionError(code: code, message: "m.")).exitCode == expected)
    }

    @Test(arguments: [
        (KMSError.Code.noRegion, ExitCode.usage), (.noCredentials, .usage), (.invalidConfiguration, .usage),
        (.accessDenied, .failed), (.authenticationFailed, .failed), (.connectionRefused, .failed), (.throttled, .failed),
    ])
    func mapsKMSCodesToExitStatuses(code: KMSError.Code, expected: ExitCode) {
        #expect(Output.classify(KMSError(code: code, message: "m.")).exitCode == expected)
    }

    @Test(arguments: CLIError.Code.allCases)
    func mapsCommandCodesToExitStatuses(code: CLIError.Code) {
        let expected: ExitCode = switch code {
        case .interrupted: .interrupted
        case .unexpected, .encodingFailed: .failed
        default: .usage
        }
        let info = Output.classify(CLIError(code: code, message: "m."))
        #expect(info.exitCode == expected)
        #expect(info.code == code.rawValue)
    }

    @Test(arguments: [KMSError.Code.credentialsFailed, .unsupportedProfile])
    func mapsEveryConfigurationCodeToUsage(code: KMSError.Code) {
        #expect(Output.classify(KMSError(code: code, message: "m.")).exitCode == .usage)
    }

    @Test(arguments: KMSLocalError.Code.allCases)
    func mapsEmulatorCodesToFailure(code: KMSLocalError.Code) {
        let info = Output.classify(KMSLocalError(code: code, message: "m."))
        #expect(info.exitCode == .failed)
        #expect(info.code == code.rawValue)
    }

    @Test func mapsUsageAndCancellation() {
        #expect(Output.classify(CLIError(code: .unknownOption, message: "m.")).exitCode == .usage)
        #expect(Output.classify(CancellationError()).exitCode == .interrupted)
        #expect(Output.classify(CancellationError()).code == "cli.interrupted")
        #expect(Output.classify(CocoaError(.fileNoSuchFile)).code == "internal.unexpected")
    }

    @Test func printsTextErrorsOnStderrWithTheirCode() {
        let captured = CapturedOutput()
        let output = Output(io: captured.makeIO(), format: .text, noColor: false, environment: [:])
        let status = output.report(DecommissionError(code: .lockHeld, message: "Plan is locked by pid 42."))
        #expect(status == .needsPerson)
        #expect(captured.stderr == "error: Plan is locked by pid 42. (apply.lock-held)\n")
        #expect(captured.stdout.isEmpty)
    }

    @Test func printsJSONErrorsAsOneObjectOnStdout() throws {
        let captured = CapturedOutput()
        let output = Output(io: captured.makeIO(), format: .json, noColor: false, environment: [:])
        output.report(KMSError(code: .accessDenied, message: "Not allowed \"here\".", requestID: "r-1"))
        #expect(captured.stderr.isEmpty)
        let object = try JSONDecoder().decode([String: [String: String]].self, from: Data(captured.stdout.utf8))
        #expect(object["error"]?["code"] == "kms.access-denied")
        #expect(object["error"]?["message"] == "Not allowed \"here\". (request id r-1)")
        #expect(captured.stdout.hasSuffix("}\n") && captured.stdout.filter { $0 == "\n" }.count == 1)
    }

    @Test func coloursOnlyOnATerminalWithoutNoColor() {
        #expect(Output.shouldUseColor(isTTY: true, noColorFlag: false, environment: [:]))
        #expect(!Output.shouldUseColor(isTTY: false, noColorFlag: false, environment: [:]))
        #expect(!Output.shouldUseColor(isTTY: true, noColorFlag: true, environment: [:]))
        #expect(!Output.shouldUseColor(isTTY: true, noColorFlag: false, environment: ["NO_COLOR": "1"]))
        #expect(Output.shouldUseColor(isTTY: true, noColorFlag: false, environment: ["NO_COLOR": ""]))
    }

    @Test func verboseLineNamesTheCallWithoutSecrets() {
        let event = KMSCallEvent(
            operation: "DescribeKey", attempt: 2, status: 400, requestID: "req-9", errorType: "NotFoundException",
            errorCode: .keyNotFound, duration: .milliseconds(12), willRetry: false)
        let line = CommandContext.describe(event)
        #expect(line == "kms: DescribeKey attempt 2 status 400 NotFoundException request-id req-9 12.0 ms")
    }

    @Test func discoveryProgressShowsRateAndTimeLeftWhenKnown() {
        let scanning = DiscoveryEvent(phase: .scanning, scanned: 4_000, total: 100_000, storeKeys: 12, keysPerSecond: 1_940.4, estimatedSecondsRemaining: 49.6)
        #expect(PlanCommand.describe(scanning) == "Scanning keys: 4000/100000 described, 12 in the store, 1940 keys/s, about 50 s left")
        let slow = DiscoveryEvent(phase: .collectingEvidence, storeKeys: 3_300, evidenceCollected: 300, keysPerSecond: 5, estimatedSecondsRemaining: 600)
        #expect(PlanCommand.describe(slow) == "Reading evidence: 300/3300 keys, 5 keys/s, about 10 min left")
        #expect(PlanCommand.describe(DiscoveryEvent(phase: .scanning, scanned: 10)) == "Scanning keys: 10 described, 0 in the store")
    }
}
