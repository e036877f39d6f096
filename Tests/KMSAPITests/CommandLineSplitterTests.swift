import Testing

@testable import KMSAPI

struct CommandLineSplitterTests {
    @Test(arguments: [
        ("/bin/creds --profile x", ["/bin/creds", "--profile", "x"]),
        (#"  "/opt/my tool/creds"   --name "a \"b\" c"  "#, ["/opt/my tool/creds", "--name", #"a "b" c"#]),
        ("tool 'single $quoted' \"\"", ["tool", "single $quoted", ""]),
        (#"tool a\ b"#, ["tool", "a b"]),
        (#"tool "C:\path""#, ["tool", #"C:\path"#]),
    ])
    func splitsLikeShlex(line: String, expected: [String]) throws {
        #expect(try CommandLineSplitter.split(line) == expected)
    }

    @Test(arguments: [#"tool "open"#, "tool 'open", #"tool \"#])
    func rejectsUnbalancedInput(line: String) {
        #expect(throws: CommandLineSplitter.Failure.self) { try CommandLineSplitter.split(line) }
    }
}
