import Foundation
import KMSAPI
import Synchronization
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

/// Which transport a command's AWS calls take: the default one, or the CA bundle's for every service.
extension KMSSessionTests {
    /// Records the bundles transports were made for and the URL and body of every request sent.
    final class TransportLog: Sendable {
        private let state = Mutex<(bundles: [CABundle], requests: [HTTPRequest])>(([], []))
        var bundles: [CABundle] { state.withLock { $0.bundles } }
        var requests: [HTTPRequest] { state.withLock { $0.requests } }
        func made(_ bundle: CABundle) { state.withLock { $0.bundles.append(bundle) } }
        func sent(_ request: HTTPRequest) { state.withLock { $0.requests.append(request) } }
    }

    /// Sends through the real transport and records each request in the log.
    struct RecordingTransport: HTTPTransport {
        let log: TransportLog
        let base: any HTTPTransport
        func send(_ request: HTTPRequest) async throws -> HTTPResponse {
            log.sent(request)
            return try await base.send(request)
        }
    }

    private func run(_ arguments: [String], environment: [String: String], directory: String, log: TransportLog) async -> CLIRun {
        let captured = CapturedOutput()
        var dependencies = CLIHarness.makeDependencies(environment: environment, io: captured.makeIO(), directory: directory)
        dependencies.makeCABundleTransport = { bundle in
            log.made(bundle)
            return RecordingTransport(log: log, base: URLSessionTransport())
        }
        let status = await runCLI(arguments: arguments, dependencies: dependencies)
        return CLIRun(status: status, stdout: captured.stdout, stderr: captured.stderr)
    }

    private static let pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"

    @Test func withoutABundleTheDefaultTransportIsUsed() async throws {
        try await EndToEndTests.withServer { endpoint, directory in
            let log = TransportLog()
            let result = await run(
                ["list-key-stores", "--endpoint-url", endpoint], environment: CLIHarness.credentialsEnvironment, directory: directory, log: log)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(log.bundles.isEmpty)
            #expect(log.requests.isEmpty)
        }
    }

    @Test func aBundleCarriesKMSCallsThroughItsTransportAndVerboseSaysSo() async throws {
        try await EndToEndTests.withServer { endpoint, directory in
            try Data(Self.pem.utf8).write(to: URL(fileURLWithPath: directory + "/ca.pem"))
            var environment = CLIHarness.credentialsEnvironment
            environment["AWS_CA_BUNDLE"] = directory + "/ca.pem"
            let log = TransportLog()
            let result = await run(["list-key-stores", "--endpoint-url", endpoint, "--verbose"], environment: environment, directory: directory, log: log)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(log.bundles == [CABundle(path: directory + "/ca.pem", setting: "AWS_CA_BUNDLE")])
            #expect(log.requests.map { $0.headers["X-Amz-Target"] } == ["TrentService.DescribeCustomKeyStores"])
            #expect(result.stderr.contains("tls: trusting only the CA certificates in '\(directory)/ca.pem' (AWS_CA_BUNDLE)"))
        }
    }

    @Test func aProfileBundleCarriesTheSTSCallOfWebIdentitySignInToo() async throws {
        try await CLIHarness.withTemporaryDirectory { directory in
            try Data(Self.pem.utf8).write(to: URL(fileURLWithPath: directory + "/ca.pem"))
            try Data("web-identity-token".utf8).write(to: URL(fileURLWithPath: directory + "/token"))
            try Data("[default]\nca_bundle = \(directory)/ca.pem\n".utf8).write(to: URL(fileURLWithPath: directory + "/config"))
            let port = 1
            let environment = [
                "AWS_REGION": "us-east-1", "AWS_EC2_METADATA_DISABLED": "true", "AWS_MAX_ATTEMPTS": "1",
                "AWS_CONFIG_FILE": directory + "/config", "AWS_WEB_IDENTITY_TOKEN_FILE": directory + "/token",
                "AWS_ROLE_ARN": "arn:aws:iam::123456789012:role/ci", "AWS_ENDPOINT_URL_STS": "http://127.0.0.1:\(port)",
            ]
            let log = TransportLog()
            let result = await run(["list-key-stores", "--endpoint-url", "http://127.0.0.1:\(port)"], environment: environment, directory: directory, log: log)
            // Nothing listens there: signing in fails, but only after its STS call took the bundle's transport.
            #expect(result.status != 0)
            #expect(log.bundles.map(\.setting) == ["ca_bundle in profile 'default'"])
            let sts = try #require(log.requests.first)
            #expect(String(decoding: sts.body, as: UTF8.self).contains("Action=AssumeRoleWithWebIdentity"))
            #expect(!result.stderr.contains("web-identity-token"))
        }
    }
}
