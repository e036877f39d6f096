/// An error in how the command was invoked, with a stable `cli.*` code; always exit status 2.
struct CLIError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A stable, machine-readable code written as `cli.kebab-reason`.
    struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        let rawValue: String
        init(rawValue: String) { self.rawValue = rawValue }
        var description: String { rawValue }

        /// An option that the command does not declare.
        static let unknownOption = Code(rawValue: "cli.unknown-option")
        /// A subcommand that does not exist.
        static let unknownCommand = Code(rawValue: "cli.unknown-command")
        /// An option that takes a value was given none.
        static let missingValue = Code(rawValue: "cli.missing-value")
        /// A value is not a number, out of range or not one of the allowed words.
        static let invalidValue = Code(rawValue: "cli.invalid-value")
        /// A required positional argument or option is missing.
        static let missingArgument = Code(rawValue: "cli.missing-argument")
        /// More positional arguments than the command takes.
        static let unexpectedArgument = Code(rawValue: "cli.unexpected-argument")
        /// An option that is not repeatable was given twice.
        static let duplicateOption = Code(rawValue: "cli.duplicate-option")
        /// No subcommand was given.
        static let missingCommand = Code(rawValue: "cli.missing-command")
        /// A prompt needed a terminal answer and got none.
        static let noInput = Code(rawValue: "cli.no-input")
    }

    let code: Code
    let message: String

    var description: String { "\(message) [\(code)]" }
}
