import Foundation
import Testing

@testable import decommission_cli

/// In-process runs of `runCLI` with captured output.
struct CLITests {
    @Test func printsTheVersion() async {
        let run = await CLIHarness.run(["--version"])
        #expect(run.status == 0)
        #expect(run.stdout == "decommission \(HelpFormatter.version)\n")
    }

    @Test(arguments: allCommands.map { $0.spec.name })
    func printsHelpForEveryCommand(name: String) async throws {
        let run = await CLIHarness.run([name, "--help"])
        #expect(run.status == 0)
        #expect(run.stdout.hasPrefix("OVERVIEW: "))
        #expect(run.stdout.contains("USAGE: decommission \(name)"))
        #expect(run.stdout.contains("GLOBAL OPTIONS:"))
        #expect(run.stdout.contains("EXAMPLES:"))
        #expect(run.stdout.contains("EXIT CODES:"))
        let spec = try #require(allCommands.first { $0.spec.name == name }?.spec)
        for option in spec.options { #expect(run.stdout.contains(option.name)) }
        #expect(run.stderr.isEmpty)
    }

    @Test func helpShowsDefaults() async {
        let run = await CLIHarness.run(["-h", "plan"])
        #expect(run.stdout.contains("--pending-window-days DAYS") && run.stdout.contains("(default: 30)"))
        #expect(run.stdout.contains("(repeatable)"))
    }

    @Test func overviewListsEveryCommand() async {
        let run = await CLIHarness.run(["--help"])
        #expect(run.status == 0)
        for command in allCommands { #expect(run.stdout.contains("  \(command.spec.name) ")) }
    }

    @Test func noCommandIsAUsageError() async {
        let run = await CLIHarness.run([])
        #expect(run.status == 2)
        #expect(run.stderr.contains("(cli.missing-command)"))
    }

    @Test func unknownOptionIsExitTwoWithASuggestion() async {
        let run = await CLIHarness.run(["status", "p.json", "--refrsh"])
        #expect(run.status == 2)
        #expect(run.stderr == "error: Unknown option '--refrsh' for 'status'; did you mean '--refresh'? (cli.unknown-option)\n")
        #expect(run.stdout.isEmpty)
    }

    @Test func parseErrorsHonourJSONOutput() async throws {
        let run = await CLIHarness.run(["--output", "json", "aply"])
        #expect(run.status == 2)
        #expect(run.stderr.isEmpty)
        let object = try JSONDecoder().decode([String: [String: String]].self, from: Data(run.stdout.utf8))
        #expect(object["error"]?["code"] == "cli.unknown-command")
    }

    @Test func noColorEnvironmentKeepsATerminalPlain() async {
        let coloured = await CLIHarness.run(["status", "/nonexistent/p.json"], isTTY: true)
        #expect(coloured.stderr.contains("\u{1B}["))
        let plain = await CLIHarness.run(["status", "/nonexistent/p.json"], environment: ["NO_COLOR": "1"], isTTY: true)
        #expect(!plain.stderr.contains("\u{1B}["))
        let flagged = await CLIHarness.run(["status", "/nonexistent/p.json", "--no-color"], isTTY: true)
        #expect(!flagged.stderr.contains("\u{1B}["))
    }

    @Test func missingRegionIsAConfigurationError() async {
        let run = await CLIHarness.run(
            ["list-key-stores"], environment: ["AWS_ACCESS_KEY_ID": "AKID", "AWS_SECRET_ACCESS_KEY": "secret"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("(config.no-region)"))
    }
}
