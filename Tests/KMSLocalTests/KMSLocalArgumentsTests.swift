import Foundation
import KMSLocal
import Testing

/// The `kms-local` command line.
struct KMSLocalArgumentsTests {
    @Test func parsesEveryFlag() throws {
        let parsed = try KMSLocalArguments.parse([
            "--host", "127.0.0.2", "--port", "0", "--seed", "s.json", "--state", "t.json", "--time-scale", "1000",
            "--quotas", "aws×2", "--fault-rate", "0.1", "--fault-seed", "7", "--latency", "5", "--deletion-lag", "60",
            "--credentials", "AK:SECRET", "--account-id", "123456789012", "--region", "eu-west-1",
        ])
        guard case .run(let configuration) = parsed else {
            Issue.record("expected run")
            return
        }
        #expect(configuration.port == 0)
        #expect(configuration.timeScale == 1000)
        #expect(configuration.quotas == .aws(multiplier: 2))
        #expect(configuration.credentials == ["AK": "SECRET"])
        #expect(configuration.region == "eu-west-1")
        #expect(configuration.deletionLagSeconds == 60)
    }

    @Test func defaultsToTheWellKnownCredentials() throws {
        #expect(try KMSLocalArguments.parse([]) == .run(KMSLocalConfiguration()))
        #expect(KMSLocalConfiguration().credentials == ["AKIDKMSLOCAL": "kms-local-secret"])
    }

    @Test func temporaryCredentialsCarryTheirSessionToken() throws {
        let parsed = try KMSLocalArguments.parse(["--credentials", "ASIATEMP:SECRET:TOKEN/with+chars=", "--credentials", "AK:S"])
        guard case .run(let configuration) = parsed else {
            Issue.record("expected run")
            return
        }
        #expect(configuration.credentials == ["ASIATEMP": "SECRET", "AK": "S"])
        #expect(configuration.sessionTokens == ["ASIATEMP": "TOKEN/with+chars="])
    }

    @Test(arguments: [
        (["--bogus"], KMSLocalError.Code.unknownOption), (["--port"], .invalidValue), (["--port", "70000"], .invalidValue),
        (["--quotas", "many"], .invalidValue), (["--time-scale", "0"], .invalidValue), (["--credentials", "nocolon"], .invalidValue),
        (["--credentials", "AK:SECRET:"], .invalidValue), (["--credentials", ":SECRET"], .invalidValue),
        (["--print-quotas", "--bogus"], .unknownOption),
    ])
    func rejectsBadFlags(arguments: [String], code: KMSLocalError.Code) throws {
        let error = try #require(throws: KMSLocalError.self) { try KMSLocalArguments.parse(arguments) }
        #expect(error.code == code)
    }

    @Test func printQuotasWinsOverServing() throws {
        #expect(try KMSLocalArguments.parse(["--print-quotas"]) == .printQuotas)
        #expect(try KMSLocalArguments.parse(["--port", "0", "--print-quotas", "--quotas", "aws"]) == .printQuotas)
        #expect(KMSLocalArguments.helpText.contains("--print-quotas"))
    }
}
