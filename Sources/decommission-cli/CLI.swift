import Foundation

/// The commands `decommission` knows, in the order `--help` lists them.
let allCommands: [any Command.Type] = [
    ListKeyStoresCommand.self, PlanCommand.self, ApplyCommand.self, StatusCommand.self, GraphCommand.self,
    CancelCommand.self, DemoCommand.self,
]

/// Runs `decommission` with the given arguments (without the program name) and returns the exit status.
///
/// Every thrown error reaches `Output.report`, so nothing escapes as a trap or stack trace.
func runCLI(arguments: [String], dependencies: CLIDependencies) async -> Int32 {
    let parser = ArgumentParser(commands: allCommands.map { $0.spec })
    let prescanned = ArgumentParser.prescanOutputFormat(arguments)
    let noColor = arguments.contains("--no-color")
    let earlyOutput = Output(io: dependencies.io, format: prescanned, noColor: noColor, environment: dependencies.environment)

    let parsed: ParsedCommandLine
    do {
        parsed = try parser.parse(arguments)
    } catch {
        return earlyOutput.report(error).rawValue
    }
    let output = Output(
        io: dependencies.io, format: parsed.global.output, noColor: parsed.global.noColor,
        environment: dependencies.environment)

    if parsed.wantsVersion, parsed.command == nil {
        dependencies.io.writeStdout("decommission \(HelpFormatter.version)\n")
        return ExitCode.done.rawValue
    }
    guard let spec = parsed.command else {
        if parsed.wantsHelp {
            dependencies.io.writeStdout(HelpFormatter.overview(parser.commands))
            return ExitCode.done.rawValue
        }
        dependencies.io.writeStderr(HelpFormatter.overview(parser.commands))
        return output.report(
            CLIError(code: .missingCommand, message: "Missing command; run 'decommission --help' for the list of commands.")
        ).rawValue
    }
    if parsed.wantsHelp {
        dependencies.io.writeStdout(HelpFormatter.help(for: spec))
        return ExitCode.done.rawValue
    }
    guard let type = allCommands.first(where: { $0.spec.name == spec.name }) else {
        return output.report(CLIError(code: .unknownCommand, message: "Unknown command '\(spec.name)'.")).rawValue
    }
    let context = CommandContext(output: output, global: parsed.global, dependencies: dependencies)
    do {
        let command = try type.init(parsed)
        return try await command.run(context).rawValue
    } catch {
        return output.report(error).rawValue
    }
}
