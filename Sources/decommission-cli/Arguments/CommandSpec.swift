/// The declared shape of one subcommand: its options, positional arguments and help text.
struct CommandSpec: Sendable {
    var name: String
    /// The usage line after `decommission `, such as `plan --key-store ID|NAME [OPTIONS]`.
    var usage: String
    /// One line shown in the command list.
    var abstract: String
    /// A paragraph shown by `--help`.
    var discussion: String
    var positionals: [PositionalSpec]
    var options: [OptionSpec]
    var examples: [String]
    var exitCodes: [(code: Int32, meaning: String)]

    init(
        name: String, usage: String, abstract: String, discussion: String = "", positionals: [PositionalSpec] = [],
        options: [OptionSpec] = [], examples: [String] = [], exitCodes: [(code: Int32, meaning: String)] = []
    ) {
        self.name = name
        self.usage = usage
        self.abstract = abstract
        self.discussion = discussion
        self.positionals = positionals
        self.options = options
        self.examples = examples
        self.exitCodes = exitCodes
    }

    /// Returns the declared option with a long name, such as `--out`.
    func option(named name: String) -> OptionSpec? { options.first { $0.name == name } }
}

/// One long option: a flag, or an option taking a value (`--x v` or `--x=v`), possibly repeated.
struct OptionSpec: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        case flag
        case value(placeholder: String)
    }

    var name: String
    var kind: Kind
    var help: String
    var defaultValue: String?
    var isRepeatable: Bool
    var shortName: String?

    /// Declares a flag such as `--force`.
    static func flag(_ name: String, _ help: String, short: String? = nil) -> OptionSpec {
        OptionSpec(name: name, kind: .flag, help: help, defaultValue: nil, isRepeatable: false, shortName: short)
    }

    /// Declares an option taking a value, such as `--out PATH`.
    static func value(
        _ name: String, _ placeholder: String, _ help: String, default defaultValue: String? = nil, repeatable: Bool = false
    ) -> OptionSpec {
        OptionSpec(
            name: name, kind: .value(placeholder: placeholder), help: help, defaultValue: defaultValue,
            isRepeatable: repeatable, shortName: nil)
    }

    var takesValue: Bool { kind != .flag }

    /// The option as shown in usage lines: `--out PATH` or `--force`.
    var synopsis: String {
        switch kind {
        case .flag: return name
        case .value(let placeholder): return "\(name) \(placeholder)"
        }
    }
}

/// A positional argument, such as `PLAN`.
struct PositionalSpec: Sendable, Equatable {
    var name: String
    var help: String
    var isOptional: Bool = false
}
