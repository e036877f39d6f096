/// Parses `decommission` command lines against declared commands (no packages, no reflection).
///
/// Long options take values as `--x v` or `--x=v`; global options may stand before or after the
/// subcommand; `--` ends the options.
struct ArgumentParser: Sendable {
    var commands: [CommandSpec]

    /// Parses the arguments after the program name.
    /// - Throws: `CLIError` with `cli.unknown-option`, `cli.unknown-command`, `cli.missing-value`,
    ///   `cli.invalid-value`, `cli.duplicate-option`, `cli.unexpected-argument` or `cli.missing-argument`.
    func parse(_ arguments: [String]) throws(CLIError) -> ParsedCommandLine {
        var result = ParsedCommandLine()
        var index = 0
        var optionsEnded = false
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if optionsEnded || !argument.hasPrefix("-") || argument == "-" || Double(argument) != nil {
                if result.command == nil {
                    result.command = try command(named: argument)
                } else {
                    result.positionals.append(argument)
                }
                continue
            }
            if argument == "--" {
                optionsEnded = true
                continue
            }
            if argument == "-h" || argument == "--help" {
                result.wantsHelp = true
                continue
            }
            if argument == "--version", result.command == nil {
                result.wantsVersion = true
                continue
            }
            let (name, inlineValue) = split(argument)
            guard let spec = option(named: name, in: result.command) else {
                throw unknownOption(name, command: result.command)
            }
            switch spec.kind {
            case .flag:
                if let inlineValue {
                    throw CLIError(code: .invalidValue, message: "Option \(name) takes no value; got '\(inlineValue)'.")
                }
                try record(flag: name, in: &result)
            case .value:
                let value: String
                if let inlineValue {
                    value = inlineValue
                } else if index < arguments.count, !arguments[index].hasPrefix("--") {
                    value = arguments[index]
                    index += 1
                } else {
                    throw CLIError(code: .missingValue, message: "Option \(name) needs a value: \(spec.synopsis).")
                }
                try record(spec, value: value, in: &result)
            }
        }
        if !result.wantsHelp, !result.wantsVersion, let command = result.command {
            let maximum = command.positionals.count
            if result.positionals.count > maximum {
                throw CLIError(
                    code: .unexpectedArgument,
                    message: "Unexpected argument '\(result.positionals[maximum])'; run 'decommission \(command.name) --help' for usage.")
            }
            for (position, spec) in command.positionals.enumerated() where !spec.isOptional && result.positionals.count <= position {
                throw CLIError(
                    code: .missingArgument, message: "Missing \(spec.name); run 'decommission \(command.name) --help' for usage.")
            }
        }
        return result
    }

    /// Finds `--output json` in a raw command line, so that even a parse error is printed as JSON.
    static func prescanOutputFormat(_ arguments: [String]) -> OutputFormat {
        var format = OutputFormat.text
        for (index, argument) in arguments.enumerated() {
            if argument == "--" { break }
            if argument == "--output", index + 1 < arguments.count {
                format = OutputFormat(rawValue: arguments[index + 1]) ?? format
            } else if argument.hasPrefix("--output=") {
                format = OutputFormat(rawValue: String(argument.dropFirst("--output=".count))) ?? format
            }
        }
        return format
    }

    // MARK: - Helpers

    private func command(named name: String) throws(CLIError) -> CommandSpec {
        if let command = commands.first(where: { $0.name == name }) { return command }
        var message = "Unknown command '\(name)'"
        if let suggestion = Suggestion.closest(to: name, in: commands.map(\.name)) {
            message += "; did you mean '\(suggestion)'?"
        } else {
            message += "; run 'decommission --help' for the list of commands."
        }
        throw CLIError(code: .unknownCommand, message: message)
    }

    private func option(named name: String, in command: CommandSpec?) -> OptionSpec? {
        GlobalOptions.specs.first { $0.name == name } ?? command?.option(named: name)
    }

    private func unknownOption(_ name: String, command: CommandSpec?) -> CLIError {
        var known = GlobalOptions.specs.map(\.name) + (command?.options.map(\.name) ?? [])
        if command == nil { known.append("--version") }
        let scope = command.map { " for '\($0.name)'" } ?? ""
        var message = "Unknown option '\(name)'\(scope)"
        if let suggestion = Suggestion.closest(to: name, in: known) {
            message += "; did you mean '\(suggestion)'?"
        } else {
            message += "; run 'decommission \(command.map { "\($0.name) " } ?? "")--help' for usage."
        }
        return CLIError(code: .unknownOption, message: message)
    }

    private func split(_ argument: String) -> (name: String, value: String?) {
        guard let equals = argument.firstIndex(of: "=") else { return (argument, nil) }
        return (String(argument[..<equals]), String(argument[argument.index(after: equals)...]))
    }

    private func record(flag name: String, in result: inout ParsedCommandLine) throws(CLIError) {
        switch name {
        case "--no-color": result.global.noColor = true
        case "--verbose": result.global.verbose = true
        default: result.flags.insert(name)
        }
    }

    private func record(_ spec: OptionSpec, value: String, in result: inout ParsedCommandLine) throws(CLIError) {
        switch spec.name {
        case "--region": result.global.region = value
        case "--profile": result.global.profile = value
        case "--endpoint-url": result.global.endpointURL = value
        case "--output":
            guard let format = OutputFormat(rawValue: value) else {
                throw CLIError(code: .invalidValue, message: "Option --output takes text or json; got '\(value)'.")
            }
            result.global.output = format
        default:
            if !spec.isRepeatable, result.values[spec.name] != nil {
                throw CLIError(code: .duplicateOption, message: "Option \(spec.name) was given twice; give it once.")
            }
            result.values[spec.name, default: []].append(value)
        }
    }
}
