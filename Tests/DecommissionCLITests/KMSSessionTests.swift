import KMSAPI
import Testing

@testable import decommission_cli

/// The KMS client a command gets from the global options.
struct KMSSessionTests {
    private func session(_ arguments: [String]) throws -> KMSSession {
        let parsed = try ArgumentParser(commands: allCommands.map { $0.spec }).parse(arguments)
        let captured = CapturedOutput()
        let dependencies = CLIHarness.makeDependencies(environment: CLIHarness.credentialsEnvironment, io: captured.makeIO())
        let output = Output(io: dependencies.io, format: .text, noColor: true, environment: [:])
        return try CommandContext(output: output, global: parsed.global, dependencies: dependencies).makeSession()
    }

    @Test func pacesAtTheDefaultQuotasWithoutARateScale() throws {
        let limiter = try session(["list-key-stores", "--endpoint-url", "http://127.0.0.1:1"]).client.rateLimiter
        let rate = try #require(limiter.baseRate(GetKeyLastUsage.name))
        #expect(abs(rate - 5 * RateLimiter.defaultHeadroom) < 1e-9)
    }

    @Test func rateScaleMultipliesEveryOperationsPacing() throws {
        let limiter = try session(["list-key-stores", "--endpoint-url", "http://127.0.0.1:1", "--rate-scale", "10"]).client.rateLimiter
        let usage = try #require(limiter.baseRate(GetKeyLastUsage.name))
        let describe = try #require(limiter.baseRate(DescribeKey.name))
        #expect(abs(usage - 50 * RateLimiter.defaultHeadroom) < 1e-9)
        #expect(abs(describe - 20_000 * RateLimiter.defaultHeadroom) < 1e-6)
    }

    @Test func cloudTrailFollowsALocalEndpointURLAtItsOwnQuota() throws {
        let local = try session(["list-key-stores", "--endpoint-url", "http://127.0.0.1:4599", "--rate-scale", "3"])
        #expect(local.cloudTrail.configuration.endpoint.absoluteString == "http://127.0.0.1:4599")
        let rate = try #require(local.cloudTrail.pipeline.rateLimiter.baseRate(LookupEvents.name))
        #expect(abs(rate - 6 * RateLimiter.defaultHeadroom) < 1e-9)
    }

    @Test func cloudTrailStaysOnItsPublicEndpointWhenTheKMSEndpointIsAnAWSHost() throws {
        let aws = try session(["list-key-stores", "--endpoint-url", "https://kms.us-east-1.amazonaws.com", "--region", "us-east-1"])
        #expect(aws.cloudTrail.configuration.endpoint.host == "cloudtrail.us-east-1.amazonaws.com")
    }
}
