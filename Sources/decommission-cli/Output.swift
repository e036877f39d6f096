import Decommission
import Foundation
import KMSAPI
import KMSLocal

/// The one place results and errors become text, JSON and exit statuses.
///
/// Errors print as `error: <message> (<code>)` on stderr, or with `--output json` as one
/// `{"error":{"code":…,"message":…}}` object on stdout. Colour is used only when stdout is a
/// terminal, and never with `--no-color` or `NO_COLOR`.
struct Output: Sendable {
    let io: CLIIO
    let format: OutputFormat
    let useColor: Bool

    init(io: CLIIO, format: OutputFormat, noColor: Bool, environment: [String: String]) {
        self.io = io
        self.format = format
        self.useColor = Self.shouldUseColor(isTTY: io.isStdoutTTY, noColorFlag: noColor, environment: environment)
    }

    /// Whether to colour output: only on a terminal, never with `--no-color` or a `NO_COLOR` variable
    /// (no-color.org: any non-empty value).
    static func shouldUseColor(isTTY: Bool, noColorFlag: Bool, environment: [String: String]) -> Bool {
        isTTY && !noColorFlag && (environment["NO_COLOR"] ?? "").isEmpty
    }

    // MARK: - Results

    /// Writes text to stdout (text mode only), adding a newline.
    func line(_ text: String = "") {
        guard format == .text else { return }
        io.writeStdout(text + "\n")
    }

    /// Writes a note for people to stderr, in every mode (progress, narration, warnings).
    func note(_ text: String) { io.writeStderr(text + "\n") }

    /// Writes one JSON object to stdout (JSON mode only).
    func json<T: Encodable>(_ value: T) {
        guard format == .json else { return }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        // Encoding our own plain Codable result types cannot fail; fall back to an error object anyway.
        let fallback = ErrorEnvelope(error: .init(code: CLIError.Code.encodingFailed.rawValue, message: "Could not encode the result."))
        let data = (try? encoder.encode(value)) ?? (try? encoder.encode(fallback)) ?? Data()
        io.writeStdout(String(decoding: data, as: UTF8.self) + "\n")
    }

    /// Wraps text in an ANSI style when colour is on.
    func styled(_ text: String, _ style: Style) -> String {
        useColor ? "\u{1B}[\(style.rawValue)m\(text)\u{1B}[0m" : text
    }

    /// ANSI styles used by the commands.
    enum Style: String, Sendable {
        case bold = "1", red = "31", green = "32", yellow = "33", dim = "2"
    }

    // MARK: - Errors

    /// Prints an error in the chosen format and returns its exit status.
    @discardableResult
    func report(_ error: any Error) -> ExitCode {
        let info = Self.classify(error)
        switch format {
        case .text:
            io.writeStderr("\(styled("error:", .red)) \(info.message) (\(info.code))\n")
        case .json:
            json(ErrorEnvelope(error: .init(code: info.code, message: info.message)))
        }
        return info.exitCode
    }

    /// What an error means for people, programs and the exit status.
    struct ErrorInfo: Sendable, Equatable {
        var code: String
        var message: String
        var exitCode: ExitCode
    }

    /// Maps any error to its code, message and exit status (the table in the README).
    static func classify(_ error: any Error) -> ErrorInfo {
        switch error {
        case let error as CLIError:
            return ErrorInfo(code: error.code.rawValue, message: error.message, exitCode: exitCode(for: error.code))
        case let error as DecommissionError:
            return ErrorInfo(code: error.code.rawValue, message: error.message, exitCode: exitCode(for: error.code))
        case let error as KMSError:
            var message = error.message
            if let requestID = error.requestID { message += " (request id \(requestID))" }
            return ErrorInfo(code: error.code.rawValue, message: message, exitCode: exitCode(for: error.code))
        case let error as KMSLocalError:
            return ErrorInfo(code: error.code.rawValue, message: error.message, exitCode: exitCode(for: error.code))
        case is CancellationError:
            return classify(
                CLIError(code: .interrupted, message: "Interrupted; state was saved, run 'decommission apply --resume' to continue."))
        default:
            // Never a stack trace: one line naming the error type, for a bug report.
            return classify(CLIError(code: .unexpected, message: "Unexpected error: \(String(describing: error))."))
        }
    }

    /// Exit status of an error of the command itself.
    static func exitCode(for code: CLIError.Code) -> ExitCode {
        switch code {
        // The command line is wrong: fix it and run again.
        case .unknownOption, .unknownCommand, .missingValue, .invalidValue, .missingArgument, .unexpectedArgument,
            .duplicateOption, .missingCommand, .noInput:
            return .usage
        // main.swift turns this into 143 when the signal was SIGTERM.
        case .interrupted:
            return .interrupted
        case .unexpected, .encodingFailed:
            return .failed
        }
    }

    /// Exit status of a planning or applying error.
    static func exitCode(for code: DecommissionError.Code) -> ExitCode {
        switch code {
        // The command line or the plan file is wrong: fix it and run again.
        case .invalidOption, .invalidWaiver, .invalidGraph, .unreadablePlan, .invalidPlan, .unsupportedSchemaVersion,
            .tampered, .invalidJournal, .resumeRequired, .auditChainBroken, .storeNotFound, .ambiguousStoreName:
            return .usage
        // A person must decide.
        case .planExists, .blocked, .approvalRequired, .approvalMismatch, .lockHeld, .cancelled, .planBlocked, .drift, .planChangedElsewhere:
            return .needsPerson
        // Recorded on a step, or an I/O failure: `apply --resume` retries.
        case .unwritableOutput, .stepFailed, .fileSystem, .storeConnectFailed, .storeStillExists, .unexpected:
            return .failed
        }
    }

    /// Exit status of a KMS client error: configuration problems are usage errors, the rest failures.
    static func exitCode(for code: KMSError.Code) -> ExitCode {
        switch code {
        // Region, credentials, profile or an option: fix the configuration and run again.
        case .noRegion, .noCredentials, .credentialsFailed, .unsupportedProfile, .invalidConfiguration, .signInRequired:
            return .usage
        // The service's answer, after retries.
        case .throttled, .keyNotFound, .invalidKeyState, .keyDisabled, .keyStoreNotFound, .keyStoreInvalidState,
            .keyStoreHasKeys, .accessDenied, .authenticationFailed, .invalidRequest, .limitExceeded, .serviceUnavailable,
            .serviceError, .invalidResponse:
            return .failed
        // The transport, after retries.
        case .connectionRefused, .connectionLost, .timeout, .hostNotFound, .tlsFailed, .transportFailed:
            return .failed
        // An S3 plan location, its bucket or its encryption options are wrong.
        case .s3InvalidLocation, .s3InvalidEncryption, .s3NoSuchBucket, .s3WrongRegion:
            return .usage
        case .s3NoSuchKey, .s3NotFound:
            return .failed
        // Another writer changed the object first (optimistic concurrency): a person decides.
        case .s3PreconditionFailed, .s3ConditionalRequestConflict:
            return .needsPerson
        }
    }

    /// Exit status of an error of the in-process kms-local (`demo`): it could not start, so the command failed.
    static func exitCode(for code: KMSLocalError.Code) -> ExitCode {
        switch code {
        case .unknownOption, .invalidValue, .unreadableSeed, .invalidSeed, .listenFailed, .stateWriteFailed, .alreadyStarted:
            return .failed
        }
    }

    private struct ErrorEnvelope: Encodable {
        struct Body: Encodable {
            var code: String
            var message: String
        }
        var error: Body
    }
}
