import Testing

@testable import decommission_cli

struct ArgumentParserTests {
    let parser = ArgumentParser(commands: allCommands.map { $0.spec })

    @Test func acceptsGlobalOptionsBeforeAndAfterTheSubcommand() throws {
        let before = try parser.parse(["--region", "eu-west-1", "--output", "json", "status", "plans/a.json"])
        let after = try parser.parse(["status", "plans/a.json", "--region", "eu-west-1", "--output", "json"])
        for parsed in [before, after] {
            #expect(parsed.command?.name == "status")
            #expect(parsed.global.region == "eu-west-1")
            #expect(parsed.global.output == .json)
            #expect(parsed.positionals == ["plans/a.json"])
        }
    }

    @Test func readsValuesGivenWithAnEqualsSign() throws {
        let parsed = try parser.parse(["plan", "--key-store=cks-1", "--pending-window-days=7", "--endpoint-url=http://127.0.0.1:1/"])
        #expect(parsed.string("--key-store") == "cks-1")
        #expect(try parsed.int("--pending-window-days", in: 7...30) == 7)
        #expect(parsed.global.endpointURL == "http://127.0.0.1:1/")
    }

    @Test func collectsRepeatableOptionsInOrder() throws {
        let parsed = try parser.parse(["plan", "--key-store", "s", "--accept", "key-recently-used:k1", "--accept=store-failed"])
        #expect(parsed.strings("--accept") == ["key-recently-used:k1", "store-failed"])
    }

    @Test func setsFlags() throws {
        let parsed = try parser.parse(["--verbose", "apply", "p.json", "--resume", "--wait", "--no-color"])
        #expect(parsed.flag("--resume") && parsed.flag("--wait") && !parsed.flag("--dry-run"))
        #expect(parsed.global.verbose && parsed.global.noColor)
    }

    @Test func suggestsTheNearestOptionForAnUnknownOne() {
        let error = #expect(throws: CLIError.self) { try parser.parse(["plan", "--key-store", "s", "--pending-windw-days", "7"]) }
        #expect(error?.code == .unknownOption)
        #expect(error?.message.contains("did you mean '--pending-window-days'?") == true)
    }

    @Test func suggestsTheNearestCommandForAnUnknownOne() {
        let error = #expect(throws: CLIError.self) { try parser.parse(["stauts", "p.json"]) }
        #expect(error?.code == .unknownCommand)
        #expect(error?.message.contains("did you mean 'status'?") == true)
    }

    @Test func rejectsACommandOptionBeforeTheSubcommand() {
        let error = #expect(throws: CLIError.self) { try parser.parse(["--resume", "apply", "p.json"]) }
        #expect(error?.code == .unknownOption)
    }

    @Test(arguments: [["plan", "--key-store"], ["plan", "--key-store", "--force"], ["--region"], ["status", "p", "--output"]])
    func reportsAMissingValue(arguments: [String]) {
        let error = #expect(throws: CLIError.self) { try parser.parse(arguments) }
        #expect(error?.code == .missingValue)
    }

    @Test(arguments: [
        ["plan", "--key-store", "s", "--pending-window-days", "6"], ["plan", "--key-store", "s", "--pending-window-days", "31"],
        ["plan", "--key-store", "s", "--pending-window-days", "seven"], ["plan", "--key-store", "s", "--observe-days", "-1"],
        ["plan", "--key-store", "s", "--min-idle-days", "nan"], ["graph", "p", "--format", "png"], ["--output", "yaml", "status", "p"],
    ])
    func reportsAnInvalidValue(arguments: [String]) throws {
        let error = #expect(throws: CLIError.self) {
            let parsed = try parser.parse(arguments)
            if let type = allCommands.first(where: { $0.spec.name == parsed.command?.name }) { _ = try type.init(parsed) }
        }
        #expect(error?.code == .invalidValue)
    }

    @Test func acceptsDecimalDays() throws {
        let command = try PlanCommand(try parser.parse(["plan", "--key-store", "s", "--observe-days", "0.5", "--min-idle-days", "1.25"]))
        #expect(command.options.observeDays == 0.5)
        #expect(command.options.minIdleDays == 1.25)
        #expect(command.options.pendingWindowDays == 30)
    }

    @Test func reportsMissingAndUnexpectedPositionals() {
        let missing = #expect(throws: CLIError.self) { try parser.parse(["apply"]) }
        #expect(missing?.code == .missingArgument)
        let extra = #expect(throws: CLIError.self) { try parser.parse(["apply", "a.json", "b.json"]) }
        #expect(extra?.code == .unexpectedArgument)
    }

    @Test func treatsArgumentsAfterDoubleDashAsPositionals() throws {
        let parsed = try parser.parse(["status", "--", "--odd-name.json"])
        #expect(parsed.positionals == ["--odd-name.json"])
    }

    @Test func rejectsAValueForAFlagAndADuplicateOption() {
        let flag = #expect(throws: CLIError.self) { try parser.parse(["apply", "p", "--resume=yes"]) }
        #expect(flag?.code == .invalidValue)
        let duplicate = #expect(throws: CLIError.self) { try parser.parse(["apply", "p", "--approve", "a", "--approve", "b"]) }
        #expect(duplicate?.code == .duplicateOption)
    }

    @Test func helpSkipsArgumentChecks() throws {
        let parsed = try parser.parse(["apply", "--help"])
        #expect(parsed.wantsHelp && parsed.command?.name == "apply")
    }

    @Test func prescanFindsJSONOutputInEitherSpelling() {
        #expect(ArgumentParser.prescanOutputFormat(["--output", "json", "nope"]) == .json)
        #expect(ArgumentParser.prescanOutputFormat(["nope", "--output=json"]) == .json)
        #expect(ArgumentParser.prescanOutputFormat(["nope"]) == .text)
    }
}

struct SuggestionTests {
    @Test func findsTheClosestCandidate() {
        #expect(Suggestion.closest(to: "--regoin", in: ["--region", "--profile"]) == "--region")
        #expect(Suggestion.closest(to: "--zzzzzzzz", in: ["--region", "--profile"]) == nil)
        #expect(Suggestion.editDistance("kitten", "sitting") == 3)
    }
}
