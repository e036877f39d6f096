import Foundation
import Testing

@testable import KMSAPI

struct ProfileCredentialProviderTests {
    /// A runner that must not be called, or returns a fixed output and records the arguments.
    struct FixedRunner: ProcessRunner {
        var output: ProcessOutput?
        func run(_ arguments: [String], environment: [String: String], timeout: Duration) async throws -> ProcessOutput {
            guard let output else { throw KMSError(code: .credentialsFailed, message: "Unexpected process run.") }
            return output
        }
    }

    private func provider(
        _ profile: String = "default", explicit: Bool = false, config: String = "", credentials: String = "",
        runner: FixedRunner = FixedRunner()
    ) throws -> ProfileCredentialProvider {
        ProfileCredentialProvider(
            profile: profile, isExplicit: explicit, files: try CredentialTestSupport.files(config: config, credentials: credentials),
            environment: [:], runner: runner)
    }

    @Test func readsKeysFromTheCredentialsFile() async throws {
        let credentials = try await provider(
            "dev", credentials: "[dev]\naws_access_key_id = AKIDDEV\naws_secret_access_key = s3cr3t\naws_session_token = tok\n"
        ).credentials()
        #expect(credentials == Credentials(accessKeyID: "AKIDDEV", secretAccessKey: "s3cr3t", sessionToken: "tok", source: "profile dev"))
    }

    @Test func readsKeysFromTheConfigFile() async throws {
        let credentials = try await provider(
            "dev", config: "[profile dev]\naws_access_key_id = AKIDCFG\naws_secret_access_key = cfg\n"
        ).credentials()
        #expect(credentials.accessKeyID == "AKIDCFG")
    }

    @Test func credentialsFileBeatsConfigFile() async throws {
        let credentials = try await provider(
            config: "[default]\naws_access_key_id = AKIDCFG\naws_secret_access_key = cfg\n",
            credentials: "[default]\naws_access_key_id = AKIDCRED\naws_secret_access_key = cred\n"
        ).credentials()
        #expect(credentials.accessKeyID == "AKIDCRED")
        #expect(credentials.secretAccessKey == "cred")
    }

    @Test func profileWithoutCredentialSettingsIsNotConfigured() async throws {
        #expect(try await provider(config: "[default]\nregion = us-east-1\n").credentialsIfConfigured() == nil)
        #expect(try await provider("absent").credentialsIfConfigured() == nil)
    }

    @Test func explicitMissingProfileIsAnError() async throws {
        let error = try #require(await #expect(throws: KMSError.self) { try await provider("ghost", explicit: true).credentialsIfConfigured() })
        #expect(error.code == .invalidConfiguration)
        #expect(error.message.contains("'ghost'"))
    }

    @Test func halfPairIsAnErrorWithoutTheSecret() async throws {
        let error = try #require(await #expect(throws: KMSError.self) {
            try await provider(credentials: "[default]\naws_secret_access_key = very-secret-key\n").credentialsIfConfigured()
        })
        #expect(error.code == .credentialsFailed)
        #expect(error.message.contains("aws_access_key_id"))
        #expect(!error.message.contains("very-secret-key"))
    }

    @Test func loginSessionIsRefusedNamingAnAlternative() async throws {
        let config = "[profile ops]\nlogin_session = arn:aws:iam::1:user/me\n"
        let error = try #require(await #expect(throws: KMSError.self) { try await provider("ops", config: config).credentials() })
        #expect(error.code == .unsupportedProfile)
        #expect(error.message.contains("Profile 'ops' uses login_session"))
        #expect(error.message.contains("aws configure sso"))
    }

    @Test func credentialProcessIsUsedWhenTheProfileHasOne() async throws {
        let json = #"{"Version":1,"AccessKeyId":"AKIDPROC","SecretAccessKey":"proc-secret"}"#
        let runner = FixedRunner(output: ProcessOutput(status: 0, standardOutput: Data(json.utf8)))
        let credentials = try await provider(config: "[default]\ncredential_process = /bin/creds --x\n", runner: runner).credentials()
        #expect(credentials.accessKeyID == "AKIDPROC")
        #expect(credentials.source == "credential_process (profile default)")
    }

    @Test func credentialsFileKeysBeatCredentialProcessWhichBeatsConfigKeys() async throws {
        let json = #"{"Version":1,"AccessKeyId":"AKIDPROC","SecretAccessKey":"p"}"#
        let runner = FixedRunner(output: ProcessOutput(status: 0, standardOutput: Data(json.utf8)))
        let config = "[default]\ncredential_process = /bin/creds\naws_access_key_id = AKIDCFG\naws_secret_access_key = c\n"
        #expect(try await provider(config: config, runner: runner).credentials().accessKeyID == "AKIDPROC")
        let withCredentialsFile = try provider(
            config: config, credentials: "[default]\naws_access_key_id = AKIDCRED\naws_secret_access_key = k\n", runner: runner)
        #expect(try await withCredentialsFile.credentials().accessKeyID == "AKIDCRED")
    }
}
