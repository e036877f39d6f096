/// An error of the `decommission` command itself: how it was invoked (`cli.*`, exit status 2), an
/// interruption (`cli.interrupted`), or a bug (`internal.*`). `Output.exitCode(for:)` maps each code.
struct CLIError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A stable, machine-readable code written as `cli.kebab-reason` or `internal.kebab-reason`.
    enum Code: String, Sendable, CaseIterable, CustomStringConvertible {
        /// An option that the command does not declare.
        case unknownOption = "cli.unknown-option"
        /// A subcommand that does not exist.
        case unknownCommand = "cli.unknown-command"
        /// An option that takes a value was given none.
        case missingValue = "cli.missing-value"
        /// A value is not a number, out of range or not one of the allowed words.
        case invalidValue = "cli.invalid-value"
        /// A required positional argument or option is missing.
        case missingArgument = "cli.missing-argument"
        /// More positional arguments than the command takes.
        case unexpectedArgument = "cli.unexpected-argument"
        /// An option that is not repeatable was given twice.
        case duplicateOption = "cli.duplicate-option"
        /// No subcommand was given.
        case missingCommand = "cli.missing-command"
        /// A prompt needed a terminal answer and got none.
        case noInput = "cli.no-input"
        /// SIGINT or SIGTERM stopped the command; state was saved.
        case interrupted = "cli.interrupted"
        /// An error no module classified: a bug, reported with the error's description.
        case unexpected = "internal.unexpected"
        /// A result could not be encoded as JSON: a bug.
        case encodingFailed = "internal.encoding"

        var description: String { rawValue }
    }

    let code: Code
    let message: String

    var description: String { "\(message) [\(code)]" }
}
