import Foundation
import Testing

@testable import KMSAPI

struct DefaultCredentialChainTests {
    struct NoProcessRunner: ProcessRunner {
        func run(_ arguments: [String], environment: [String: String], timeout: Duration) async throws -> ProcessOutput {
            throw KMSError(code: .credentialsFailed, message: "No process may run in this test.")
        }
    }

    private static let profileKeys = "[default]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = profile-secret\n"
    private static let containerBody = #"{"AccessKeyId":"AKIDCONTAINER","SecretAccessKey":"c","Token":"t","Expiration":"2030-01-01T00:00:00Z"}"#

    private func chain(
        _ environment: [String: String], credentials: String = "", config: String = "", profile: String = "default",
        flag: Bool = false
    ) throws -> DefaultCredentialChain {
        let transport = URLSessionTransport(connectTimeout: 1, requestTimeout: 5)
        var context = try CredentialChainFixture.context(
            config: config, credentials: credentials, environment: environment, transport: transport)
        context.environment = environment
        return CredentialChainFixture.chain(context, profile: profile, flag: flag)
    }

    private static let noIMDS = ["AWS_EC2_METADATA_DISABLED": "true"]
    private static let envKeys = ["AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "env-secret"]

    @Test func environmentComesBeforeProfile() async throws {
        let credentials = try await chain(Self.envKeys.merging(Self.noIMDS) { a, _ in a }, credentials: Self.profileKeys).credentials()
        #expect(credentials.source == "environment")
    }

    @Test func profileIsUsedWhenEnvironmentIsEmpty() async throws {
        let credentials = try await chain(Self.noIMDS, credentials: Self.profileKeys).credentials()
        #expect(credentials.accessKeyID == "AKIDPROFILE")
    }

    @Test func brokenEnvironmentStopsTheChain() async throws {
        let environment = ["AWS_ACCESS_KEY_ID": "AKIDENV"].merging(Self.noIMDS) { a, _ in a }
        let error = try #require(await #expect(throws: KMSError.self) { try await chain(environment, credentials: Self.profileKeys).credentials() })
        #expect(error.code == .credentialsFailed)
    }

    @Test func unsupportedProfileStopsTheChain() async throws {
        let error = try #require(await #expect(throws: KMSError.self) {
            try await chain(Self.noIMDS, config: "[profile ops]\nlogin_session = arn:aws:iam::1:user/x\n", profile: "ops").credentials()
        })
        #expect(error.code == .unsupportedProfile)
    }

    @Test func profileFlagSkipsEnvironmentKeysButAWSProfileDoesNot() async throws {
        let environment = Self.envKeys.merging(Self.noIMDS) { a, _ in a }
        let keys = "[dev]\naws_access_key_id = AKIDDEV\naws_secret_access_key = dev-secret\n"
        #expect(try await chain(environment, credentials: keys, profile: "dev", flag: true).credentials().accessKeyID == "AKIDDEV")
        #expect(try await chain(environment, credentials: keys, profile: "dev", flag: false).credentials().accessKeyID == "AKIDENV")
    }

    @Test func sourcesComeInBotocoreOrder() async throws {
        // Environment, assume role, web identity, SSO, file keys/login/process/config keys, container, IMDS.
        let chain = try chain(Self.noIMDS, profile: "all")
        let names = chain.sources.map { String(describing: type(of: $0)) }
        #expect(names == [
            "EnvironmentCredentialProvider", "LazyCredentialSource", "LazyCredentialSource", "LazyCredentialSource",
            "ProfileCredentialProvider", "ContainerCredentialProvider", "IMDSCredentialProvider",
        ])
    }

    @Test func assumeRoleComesBeforeSSOAndSSOBeforeFileKeys() async throws {
        let transport = ScriptedTransport { request, _ in
            request.method == "GET"
                ? CredentialChainFixture.portalAnswer(accessKeyID: "ASIASSO") : CredentialChainFixture.stsAnswer(accessKeyID: "ASIAROLE")
        }
        let files = MemoryFiles()
        let cache = "\(CredentialChainFixture.home)/.aws/sso/cache/\(SSOTokenProvider.cacheKey(sessionName: nil, startURL: "https://s")).json"
        files.set(cache, #"{"accessToken":"a","expiresAt":"2030-01-01T00:00:00Z"}"#)
        let sso = "sso_start_url = https://s\nsso_region = us-east-1\nsso_account_id = 1\nsso_role_name = R\n"
        let keys = "aws_access_key_id = AKIDFILE\naws_secret_access_key = s\n"
        let config = "[profile both]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = base\n\(sso)[profile base]\n\(keys)[profile ssokeys]\n\(sso)\(keys)"
        let context = try CredentialChainFixture.context(config: config, files: files, transport: transport)
        #expect(try await CredentialChainFixture.chain(context, profile: "both").credentials().accessKeyID == "ASIAROLE")
        #expect(try await CredentialChainFixture.chain(context, profile: "ssokeys").credentials().accessKeyID == "ASIASSO")
    }

    @Test func containerIsTriedBeforeIMDS() async throws {
        try await withLoopbackServer(routes: ["GET /creds": CannedResponse(body: Self.containerBody)]) { container in
            try await withLoopbackServer(routes: [:]) { imds in
                let environment = [
                    "AWS_CONTAINER_CREDENTIALS_FULL_URI": "\(container.baseURL)/creds", "AWS_EC2_METADATA_SERVICE_ENDPOINT": imds.baseURL,
                ]
                let credentials = try await chain(environment).credentials()
                #expect(credentials.accessKeyID == "AKIDCONTAINER")
                #expect(imds.requests.isEmpty)
            }
        }
    }

    @Test func imdsIsTheLastResort() async throws {
        let routes: [String: CannedResponse] = [
            "PUT /latest/api/token": CannedResponse(body: "tok"),
            "GET /latest/meta-data/iam/security-credentials/": CannedResponse(body: "role"),
            "GET /latest/meta-data/iam/security-credentials/role": CannedResponse(
                body: #"{"Code":"Success","AccessKeyId":"AKIDIMDS","SecretAccessKey":"s","Token":"t","Expiration":"2030-01-01T00:00:00Z"}"#),
        ]
        try await withLoopbackServer(routes: routes) { imds in
            let credentials = try await chain(["AWS_EC2_METADATA_SERVICE_ENDPOINT": imds.baseURL]).credentials()
            #expect(credentials.accessKeyID == "AKIDIMDS")
        }
    }

    @Test func nothingConfiguredIsNoCredentials() async throws {
        let port = try await CredentialTestSupport.closedLoopbackPort()
        for environment in [Self.noIMDS, ["AWS_EC2_METADATA_SERVICE_ENDPOINT": "http://127.0.0.1:\(port)"]] {
            let error = try #require(await #expect(throws: KMSError.self) {
                try await chain(environment, config: "[default]\nregion = us-east-1\n").credentials()
            })
            #expect(error.code == .noCredentials)
            #expect(
                error.message
                    == "No AWS credentials found; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, use --profile, or run where container or instance credentials are available.")
        }
    }
}
