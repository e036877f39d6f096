import Foundation
import KMSAPI
import KMSLocal
import Testing

@testable import decommission_cli

/// Signing in from the command line: sign-in-required failures exit 2 with the command to run,
/// `--verbose` names the credential source without secrets, and MFA is asked for only at a terminal.
struct SignInTests {
    private static let baseEnvironment = ["AWS_REGION": "us-east-1", "AWS_EC2_METADATA_DISABLED": "true"]

    private func run(
        _ arguments: [String], config: String, credentials: String = "", environment: [String: String] = [:],
        isTTY: Bool = false, input: [String] = [], directory: String
    ) async throws -> CLIRun {
        let configPath = directory + "/config"
        let credentialsPath = directory + "/credentials"
        try Data(config.utf8).write(to: URL(fileURLWithPath: configPath))
        try Data(credentials.utf8).write(to: URL(fileURLWithPath: credentialsPath))
        let environment = Self.baseEnvironment.merging(environment) { $1 }.merging([
            "AWS_CONFIG_FILE": configPath, "AWS_SHARED_CREDENTIALS_FILE": credentialsPath,
        ]) { $1 }
        return await CLIHarness.run(arguments, environment: environment, isTTY: isTTY, input: input, directory: directory)
    }

    @Test func ssoProfileWithoutACachedTokenExitsTwoNamingTheLoginCommand() async throws {
        try await CLIHarness.withTemporaryDirectory { directory in
            let config = "[profile dev]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Admin\n[sso-session corp]\nsso_start_url = https://example.awsapps.com/start\nsso_region = eu-west-1\n"
            let result = try await run(
                ["list-key-stores", "--profile", "dev", "--endpoint-url", "http://127.0.0.1:1"], config: config, directory: directory)
            #expect(result.status == 2)
            #expect(result.stderr.contains("run `aws sso login --profile dev`"))
            #expect(result.stderr.hasSuffix("(config.sign-in-required)\n"))
        }
    }

    @Test func mfaWithoutATerminalExitsTwoWithoutCallingSTS() async throws {
        try await CLIHarness.withTemporaryDirectory { directory in
            let config = "[profile admin]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = base\nmfa_serial = arn:aws:iam::1:mfa/me\n"
            let result = try await run(
                ["list-key-stores", "--profile", "admin", "--endpoint-url", "http://127.0.0.1:1", "--verbose"], config: config,
                credentials: "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret\n", directory: directory)
            #expect(result.status == 2)
            #expect(result.stderr.contains("(config.sign-in-required)"))
            #expect(!result.stderr.contains("sts: AssumeRole"))
        }
    }

    @Test func roleConfigurationErrorsExitTwoNamingTheProfile() async throws {
        try await CLIHarness.withTemporaryDirectory { directory in
            let result = try await run(
                ["list-key-stores", "--profile", "loop", "--endpoint-url", "http://127.0.0.1:1"],
                config: "[profile loop]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = other\n[profile other]\nrole_arn = arn:aws:iam::1:role/b\nsource_profile = loop\n",
                directory: directory)
            #expect(result.status == 2)
            #expect(result.stderr.contains("loop -> other -> loop"))
            #expect(result.stderr.hasSuffix("(config.invalid)\n"))
        }
    }

    @Test func verboseNamesTheCredentialSourceButNoSecret() async throws {
        try await EndToEndTests.withServer { endpoint, directory in
            let result = await EndToEndTests.run(["list-key-stores", "--verbose"], endpoint: endpoint, directory: directory)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stderr.contains("credentials: environment, access key AKIDKMSLOCAL"))
            #expect(!result.stderr.contains("kms-local-secret"))
        }
    }

    @Test func aMissingCABundleExitsTwoNamingTheSettingWithoutFallingBackToTheSystemStore() async throws {
        try await CLIHarness.withTemporaryDirectory { directory in
            let result = try await run(
                ["list-key-stores", "--endpoint-url", "http://127.0.0.1:1"], config: "",
                credentials: "[default]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret\n",
                environment: ["AWS_CA_BUNDLE": directory + "/corp-ca.pem"], directory: directory)
            #expect(result.status == 2)
            #expect(result.stderr.contains("AWS_CA_BUNDLE names '\(directory)/corp-ca.pem', which does not exist"))
            #expect(result.stderr.hasSuffix("(config.invalid)\n"))
            #expect(result.stderr.split(separator: "\n").count == 1)
        }
    }

    @Test func aProfileCABundleWithoutCertificatesExitsTwoNamingTheProfile() async throws {
        try await CLIHarness.withTemporaryDirectory { directory in
            try Data("not a certificate\n".utf8).write(to: URL(fileURLWithPath: directory + "/corp-ca.pem"))
            let result = try await run(
                ["list-key-stores", "--profile", "prod", "--endpoint-url", "http://127.0.0.1:1"],
                config: "[profile prod]\nca_bundle = \(directory)/corp-ca.pem\n",
                credentials: "[prod]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret\n", directory: directory)
            #expect(result.status == 2)
            #expect(result.stderr.contains("ca_bundle in profile 'prod' names '\(directory)/corp-ca.pem', which holds no PEM certificate"))
            #expect(result.stderr.hasSuffix("(config.invalid)\n"))
        }
    }

    private static var motoEndpoint: String? { ProcessInfo.processInfo.environment["KMS_MOTO_ENDPOINT"] }

    @Test(.enabled(if: motoEndpoint != nil))
    func mfaIsAskedForAtATerminalAndTheRoleIsAssumedThroughMoto() async throws {
        let moto = try #require(Self.motoEndpoint)
        try await CLIHarness.withTemporaryDirectory { directory in
            let config = "[profile admin]\nrole_arn = arn:aws:iam::123456789012:role/admin\nsource_profile = base\nmfa_serial = arn:aws:iam::123456789012:mfa/me\n"
            let result = try await run(
                ["list-key-stores", "--profile", "admin", "--endpoint-url", "http://127.0.0.1:1", "--verbose"], config: config,
                credentials: "[base]\naws_access_key_id = testing\naws_secret_access_key = testing\n",
                environment: ["AWS_ENDPOINT_URL_STS": moto, "AWS_MAX_ATTEMPTS": "1"], isTTY: true, input: ["123456"], directory: directory)
            #expect(result.stderr.contains("Enter the MFA code for arn:aws:iam::123456789012:mfa/me (profile admin): "))
            #expect(result.stderr.contains("sts: AssumeRole attempt 1 status 200"))
            #expect(result.stderr.contains("credentials: assume-role profile admin, access key ASIA"))
            // kms-local is not listening at port 1: the KMS call itself fails after signing in.
            #expect(result.stderr.contains("(kms.connection-refused)"))
        }
    }
}
