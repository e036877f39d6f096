import Foundation
import Testing

@testable import KMSAPI

struct SharedConfigFileTests {
    private func parse(_ text: String, _ kind: SharedConfigFile.Kind = .config) throws -> SharedConfigFile {
        try SharedConfigFile(parsing: text, kind: kind, path: "/tmp/file")
    }

    @Test func readsProfilesFromConfigWithProfilePrefix() throws {
        let file = try parse("""
            [default]
            region = us-east-1
            [profile dev]
            region=eu-west-1
            [  profile   spaced  ]
            region = ap-south-1
            [orphan]
            region = us-west-2
            """)
        #expect(file.profile(named: "default")?["region"] == "us-east-1")
        #expect(file.profile(named: "dev")?["region"] == "eu-west-1")
        #expect(file.profile(named: "spaced")?["region"] == "ap-south-1")
        // The config file ignores sections without the `profile` prefix.
        #expect(file.profile(named: "orphan") == nil)
    }

    @Test func readsProfilesFromCredentialsWithoutPrefix() throws {
        let file = try parse("""
            [default]
            aws_access_key_id = AKIDDEFAULT
            [dev]
            aws_access_key_id = AKIDDEV
            [profile odd]
            aws_access_key_id = AKIDODD
            """, .credentials)
        #expect(file.profile(named: "default")?["aws_access_key_id"] == "AKIDDEFAULT")
        #expect(file.profile(named: "dev")?["aws_access_key_id"] == "AKIDDEV")
        #expect(file.profile(named: "odd") == nil)
        #expect(file.profile(named: "profile odd")?["aws_access_key_id"] == "AKIDODD")
    }

    @Test func skipsCommentsAndStripsInlineComments() throws {
        let file = try parse("""
            # leading comment
            ; another
            [default]
              # indented comment before any key
            region = us-east-1 # trailing
            output = json ; trailing
            endpoint_url = http://localhost:4566/#fragment

            """)
        let profile = try #require(file.profile(named: "default"))
        #expect(profile["region"] == "us-east-1")
        #expect(profile["output"] == "json")
        #expect(profile["endpoint_url"] == "http://localhost:4566/#fragment")
        #expect(profile.count == 3)
    }

    @Test func lowercasesKeysAndTrimsWhitespaceAndAcceptsColon() throws {
        let file = try parse("[default]\n  \tREGION   =   us-east-2   \nRetry_Mode: adaptive\r\n")
        #expect(file.profile(named: "default") == ["region": "us-east-2", "retry_mode": "adaptive"])
    }

    @Test func readsNestedSubsectionsAsDottedKeysWithoutLeakingThem() throws {
        let file = try parse("""
            [profile dev]
            s3 =
              max_concurrent_requests = 10
              addressing_style = path
            region = eu-central-1
            [services local]
            kms =
              endpoint_url = http://127.0.0.1:4566
            """)
        let profile = try #require(file.profile(named: "dev"))
        #expect(profile["region"] == "eu-central-1")
        #expect(profile["max_concurrent_requests"] == nil)
        #expect(profile["s3.max_concurrent_requests"] == "10")
        #expect(file.servicesSection(named: "local")?["kms.endpoint_url"] == "http://127.0.0.1:4566")
    }

    @Test func profileDefaultSectionWinsOverPlainDefault() throws {
        let file = try parse("[default]\nregion = a\noutput = json\n[profile default]\nregion = b\n")
        #expect(file.profile(named: "default") == ["region": "b", "output": "json"])
    }

    @Test(arguments: [
        ("region = us-east-1\n[default]\n", 1),
        ("[default]\nthis line has no separator\n", 2),
        ("[default\nregion = x\n", 1),
    ])
    func rejectsMalformedLinesNamingTheLine(text: String, line: Int) throws {
        let error = try #require(throws: KMSError.self) { try parse(text) }
        #expect(error.code == .invalidConfiguration)
        #expect(error.message.contains("Line \(line) of '/tmp/file'"))
    }

    @Test func malformedLineErrorNeverQuotesTheLine() throws {
        let error = try #require(throws: KMSError.self) {
            try parse("[default]\nwJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY\n", .credentials)
        }
        #expect(!error.message.contains("wJalrXUtnFEMI"))
    }
}
