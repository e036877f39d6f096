import Foundation
import Testing

@testable import KMSAPI

struct EnvironmentCredentialProviderTests {
    @Test func readsKeysAndSessionToken() async throws {
        let provider = EnvironmentCredentialProvider(environment: [
            "AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "secret-env", "AWS_SESSION_TOKEN": "token-env",
        ])
        let credentials = try await provider.credentials()
        #expect(credentials == Credentials(accessKeyID: "AKIDENV", secretAccessKey: "secret-env", sessionToken: "token-env", source: "environment"))
    }

    @Test func sessionTokenIsOptional() async throws {
        let provider = EnvironmentCredentialProvider(environment: ["AWS_ACCESS_KEY_ID": "A", "AWS_SECRET_ACCESS_KEY": "S"])
        #expect(try await provider.credentials().sessionToken == nil)
    }

    @Test func nothingSetIsNotConfigured() async throws {
        let provider = EnvironmentCredentialProvider(environment: ["AWS_ACCESS_KEY_ID": "", "PATH": "/bin"])
        #expect(try await provider.credentialsIfConfigured() == nil)
        let error = await #expect(throws: KMSError.self) { try await provider.credentials() }
        #expect(error?.code == .noCredentials)
    }

    @Test(arguments: [
        (["AWS_ACCESS_KEY_ID": "AKID"], "AWS_SECRET_ACCESS_KEY"),
        (["AWS_SECRET_ACCESS_KEY": "super-secret-value"], "AWS_ACCESS_KEY_ID"),
    ])
    func halfPairNamesTheMissingVariable(environment: [String: String], missing: String) async throws {
        let error = try #require(await #expect(throws: KMSError.self) {
            try await EnvironmentCredentialProvider(environment: environment).credentialsIfConfigured()
        })
        #expect(error.code == .credentialsFailed)
        #expect(error.message.contains("but \(missing) is not"))
        #expect(!error.message.contains("super-secret-value"))
    }
}
