import Foundation
import Testing

@testable import KMSAPI

/// Web identity from the environment or a profile: unsigned STS call, token re-read at each refresh.
struct WebIdentityCredentialProviderTests {
    typealias Fixture = CredentialChainFixture
    private static let environment = [
        "AWS_WEB_IDENTITY_TOKEN_FILE": "/var/run/token", "AWS_ROLE_ARN": "arn:aws:iam::1:role/ci", "AWS_ROLE_SESSION_NAME": "gha",
    ]

    @Test func readsTheTokenFileAgainAtEveryRefresh() async throws {
        let files = MemoryFiles(["/var/run/token": "first-token\n"])
        let transport = ScriptedTransport { _, index in
            Fixture.stsAnswer("AssumeRoleWithWebIdentity", accessKeyID: "ASIAWEB\(index)")
        }
        let context = try Fixture.context(environment: Self.environment, files: files, transport: transport)
        let chain = Fixture.chain(context)
        #expect(try await chain.credentials().accessKeyID == "ASIAWEB0")
        files.set("/var/run/token", "rotated-token")
        let second = try await chain.credentials()
        #expect(second.accessKeyID == "ASIAWEB1")
        #expect(second.source == "web identity (the environment)")
        #expect(transport.requests.map { Fixture.form($0)["WebIdentityToken"] } == ["first-token", "rotated-token"])
        #expect(transport.requests.allSatisfy { $0.headers["Authorization"] == nil })
        #expect(Fixture.form(transport.requests[0])["Action"] == "AssumeRoleWithWebIdentity")
        #expect(Fixture.form(transport.requests[0])["RoleSessionName"] == "gha")
    }

    @Test func profileSettingsWorkAndTheFlagSkipsTheEnvironment() async throws {
        let files = MemoryFiles(["/profile/token": "profile-token", "/var/run/token": "env-token"])
        let transport = ScriptedTransport { _, _ in Fixture.stsAnswer("AssumeRoleWithWebIdentity", accessKeyID: "ASIAPROFILE") }
        let context = try Fixture.context(
            config: "[profile ci]\nweb_identity_token_file = /profile/token\nrole_arn = arn:aws:iam::1:role/p\n",
            environment: Self.environment, files: files, transport: transport)
        _ = try await Fixture.chain(context, profile: "ci", flag: true).credentials()
        let form = Fixture.form(try #require(transport.requests.first))
        #expect(form["WebIdentityToken"] == "profile-token")
        #expect(form["RoleArn"] == "arn:aws:iam::1:role/p")
    }

    @Test func missingTokenFileNeedsSignIn() async throws {
        let transport = ScriptedTransport([])
        let context = try Fixture.context(environment: Self.environment, transport: transport)
        let error = try #require(await #expect(throws: KMSError.self) { try await Fixture.chain(context).credentials() })
        #expect(error.code == .signInRequired)
        #expect(error.requiresSignIn && !error.mayHaveBeenApplied && !error.isRetryable)
        #expect(error.message.contains("/var/run/token"))
    }

    @Test func rejectedTokenNeedsSignInAndIsNeverQuoted() async throws {
        let files = MemoryFiles(["/var/run/token": "very-secret-jwt"])
        let transport = ScriptedTransport([.success(Fixture.stsError("InvalidIdentityToken", status: 400))])
        let context = try Fixture.context(environment: Self.environment, files: files, transport: transport)
        let error = try #require(await #expect(throws: KMSError.self) { try await Fixture.chain(context).credentials() })
        #expect(error.code == .signInRequired)
        #expect(error.awsErrorType == "InvalidIdentityToken")
        #expect(!error.description.contains("very-secret-jwt"))
    }

    @Test func tokenFileWithoutRoleIsAConfigurationError() async throws {
        let context = try Fixture.context(environment: ["AWS_WEB_IDENTITY_TOKEN_FILE": "/t"], transport: ScriptedTransport([]))
        let error = try #require(await #expect(throws: KMSError.self) { try await Fixture.chain(context).credentials() })
        #expect(error.code == .invalidConfiguration)
    }
}
