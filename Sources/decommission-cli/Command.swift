import Foundation

/// A subcommand: its declared arguments, validation of a parsed command line, and what it does.
protocol Command: Sendable {
    /// The declared options, arguments and help text.
    static var spec: CommandSpec { get }
    /// Validates the parsed command line into typed options.
    /// - Throws: `CLIError` (exit 2).
    init(_ parsed: ParsedCommandLine) throws(CLIError)
    /// Runs the command; thrown errors reach `Output.report`.
    func run(_ context: CommandContext) async throws -> ExitCode
}

/// Everything a command may use: the output, the environment and the outside world, injected.
struct CommandContext: Sendable {
    let output: Output
    let global: GlobalOptions
    let dependencies: CLIDependencies

    var environment: [String: String] { dependencies.environment }
    var io: CLIIO { dependencies.io }

    /// Resolves a path relative to the working directory.
    func absolutePath(_ path: String) -> String {
        path.hasPrefix("/") ? path : (dependencies.currentDirectory as NSString).appendingPathComponent(path)
    }
}
