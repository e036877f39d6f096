/// The result of parsing a command line: the global options, the subcommand and its arguments.
struct ParsedCommandLine: Sendable {
    var global = GlobalOptions()
    var command: CommandSpec?
    var wantsHelp = false
    var wantsVersion = false
    /// Values of options that take one, by long name, in the order given.
    var values: [String: [String]] = [:]
    var flags: Set<String> = []
    var positionals: [String] = []

    /// Whether a flag such as `--force` was given.
    func flag(_ name: String) -> Bool { flags.contains(name) }

    /// Returns the last value of an option, or its declared default.
    func string(_ name: String) -> String? {
        values[name]?.last ?? command?.option(named: name)?.defaultValue
    }

    /// Returns every value of a repeatable option.
    func strings(_ name: String) -> [String] { values[name] ?? [] }

    /// Returns the positional argument at `index`, if given.
    func positional(_ index: Int) -> String? { positionals.indices.contains(index) ? positionals[index] : nil }

    /// Returns a positional argument that the command requires.
    /// - Throws: `CLIError` with `cli.missing-argument`.
    func requiredPositional(_ index: Int) throws(CLIError) -> String {
        guard let value = positional(index) else {
            let name = command?.positionals[safe: index]?.name ?? "ARGUMENT"
            throw CLIError(
                code: .missingArgument,
                message: "Missing \(name); run 'decommission \(command?.name ?? "") --help' for usage.")
        }
        return value
    }

    /// Returns an option's value parsed as a whole number within `range`.
    /// - Throws: `CLIError` with `cli.invalid-value`.
    func int(_ name: String, in range: ClosedRange<Int>) throws(CLIError) -> Int? {
        guard let text = string(name) else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw CLIError(
                code: .invalidValue,
                message: "Option \(name) takes a whole number from \(range.lowerBound) to \(range.upperBound); got '\(text)'.")
        }
        return value
    }

    /// Returns an option's value parsed as a decimal number within `range`.
    /// - Throws: `CLIError` with `cli.invalid-value`.
    func double(_ name: String, in range: ClosedRange<Double>) throws(CLIError) -> Double? {
        guard let text = string(name) else { return nil }
        guard let value = Double(text), value.isFinite, range.contains(value) else {
            throw CLIError(
                code: .invalidValue,
                message: "Option \(name) takes a number from \(Self.format(range.lowerBound)) to \(Self.format(range.upperBound)); got '\(text)'.")
        }
        return value
    }

    /// Returns an option's value as one of an enum's cases.
    /// - Throws: `CLIError` with `cli.invalid-value`.
    func choice<T: RawRepresentable & CaseIterable>(_ name: String, as type: T.Type) throws(CLIError) -> T?
    where T.RawValue == String {
        guard let text = string(name) else { return nil }
        guard let value = T(rawValue: text) else {
            let allowed = T.allCases.map(\.rawValue).joined(separator: ", ")
            throw CLIError(code: .invalidValue, message: "Option \(name) takes one of \(allowed); got '\(text)'.")
        }
        return value
    }

    private static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
