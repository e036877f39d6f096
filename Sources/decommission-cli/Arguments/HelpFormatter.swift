/// Renders `--help` text: the command list, and per command its usage, options with defaults,
/// examples and exit codes.
enum HelpFormatter {
    /// The version `decommission --version` prints.
    static let version = "0.1.0"

    /// Renders the top-level help listing every command.
    static func overview(_ commands: [CommandSpec]) -> String {
        var lines = [
            "OVERVIEW: Safely retire an AWS KMS custom key store (CloudHSM or external), resumably, over the weeks it takes.",
            "",
            "USAGE: decommission <command> [OPTIONS]",
            "",
            "COMMANDS:",
        ]
        let width = (commands.map(\.name.count).max() ?? 0) + 2
        for command in commands {
            lines.append("  " + pad(command.name, width) + command.abstract)
        }
        lines += ["", "GLOBAL OPTIONS:"]
        lines += optionLines(GlobalOptions.specs + [.flag("--version", "Show the version.")])
        lines += [
            "",
            "Run 'decommission <command> --help' for a command's options, examples and exit codes.",
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    /// Renders one command's help.
    static func help(for command: CommandSpec) -> String {
        var lines = ["OVERVIEW: \(command.abstract)", "", "USAGE: decommission \(command.usage)"]
        if !command.discussion.isEmpty {
            lines += ["", command.discussion]
        }
        if !command.positionals.isEmpty {
            lines += ["", "ARGUMENTS:"]
            let width = (command.positionals.map(\.name.count).max() ?? 0) + 2
            lines += command.positionals.map { "  " + pad($0.name, width) + $0.help }
        }
        if !command.options.isEmpty {
            lines += ["", "OPTIONS:"]
            lines += optionLines(command.options)
        }
        lines += ["", "GLOBAL OPTIONS:"]
        lines += optionLines(GlobalOptions.specs)
        if !command.examples.isEmpty {
            lines += ["", "EXAMPLES:"]
            lines += command.examples.map { "  " + $0 }
        }
        if !command.exitCodes.isEmpty {
            lines += ["", "EXIT CODES:"]
            lines += command.exitCodes.map { "  " + pad(String($0.code), 5) + $0.meaning }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func optionLines(_ options: [OptionSpec]) -> [String] {
        let labels = options.map { option in
            (option.shortName.map { "\($0), " } ?? "") + option.synopsis
        }
        let width = (labels.map(\.count).max() ?? 0) + 2
        return zip(options, labels).map { option, label in
            var help = option.help
            if let defaultValue = option.defaultValue { help += " (default: \(defaultValue))" }
            if option.isRepeatable { help += " (repeatable)" }
            return "  " + pad(label, width) + help
        }
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }
}
