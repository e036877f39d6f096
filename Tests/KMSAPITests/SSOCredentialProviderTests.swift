import Foundation
import Testing

@testable import KMSAPI

/// IAM Identity Center profiles: the token cache, GetRoleCredentials, SSO-OIDC refresh and write-back.
struct SSOCredentialProviderTests {
    typealias Fixture = CredentialChainFixture
    private static let legacyConfig = """
        [profile legacy]
        sso_start_url = https://example.awsapps.com/start
        sso_region = eu-west-1
        sso_account_id = 111122223333
        sso_role_name = Admin
        """
    private static let sessionConfig = """
        [profile dev]
        sso_session = corp
        sso_account_id = 111122223333
        sso_role_name = Admin
        [sso-session corp]
        sso_start_url = https://example.awsapps.com/start
        sso_region = eu-west-1
        """
    private static let cacheDirectory = "\(Fixture.home)/.aws/sso/cache"
    static var sessionCache: String { cacheDirectory + "/" + SSOTokenProvider.cacheKey(sessionName: "corp", startURL: "") + ".json" }
    static var legacyCache: String {
        cacheDirectory + "/" + SSOTokenProvider.cacheKey(sessionName: nil, startURL: "https://example.awsapps.com/start") + ".json"
    }

    /// A cached token expiring `after` seconds from the fixture's start, with refresh fields.
    static func token(expiresAfter seconds: TimeInterval, refreshable: Bool = true) -> String {
        let expires = SSOTokenProvider.formatDate(Fixture.start.addingTimeInterval(seconds))
        var text = #"{"accessToken":"cached-access","expiresAt":"\#(expires)","startUrl":"https://example.awsapps.com/start","region":"eu-west-1","customField":{"kept":true}"#
        if refreshable {
            text += #","refreshToken":"refresh-1","clientId":"client-1","clientSecret":"client-secret","registrationExpiresAt":"2030-01-01T00:00:00Z""#
        }
        return text + "}"
    }

    @Test func cacheKeysAreTheSHA1OfTheSessionNameOrStartURL() {
        // Reference values from Python's hashlib.
        #expect(SSOTokenProvider.cacheKey(sessionName: "my-sso", startURL: "ignored") == "0ad374308c5a4e22f723adf10145eafad7c4031c")
        #expect(SSOTokenProvider.cacheKey(sessionName: nil, startURL: "https://my-sso-portal.awsapps.com/start") == "c7aaaf71fcc8777ae2475525ed049d39fe16c484")
        #expect(SHA1.hash("abc").hexString == "a9993e364706816aba3e25717850c26c9cd0d89d")
        #expect(SHA1.hash("").hexString == "da39a3ee5e6b4b0d3255bfef95601890afd80709")
        #expect(SHA1.hash(String(repeating: "a", count: 1_000)).hexString == "291e9a6c66994949b57ba5e650361e98fc36b1ba")
    }

    @Test func legacyProfileCallsThePortalWithTheCachedToken() async throws {
        let files = MemoryFiles([Self.legacyCache: Self.token(expiresAfter: 3600)])
        let transport = ScriptedTransport([.success(Fixture.portalAnswer(accessKeyID: "ASIASSO"))])
        let context = try Fixture.context(config: Self.legacyConfig, files: files, transport: transport)
        let credentials = try await Fixture.chain(context, profile: "legacy").credentials()
        #expect(credentials.accessKeyID == "ASIASSO")
        #expect(credentials.expiration == Fixture.start.addingTimeInterval(3600))
        let request = try #require(transport.requests.first)
        #expect(request.method == "GET")
        #expect(request.url.host == "portal.sso.eu-west-1.amazonaws.com")
        #expect(request.url.path == "/federation/credentials")
        #expect(request.url.query == "account_id=111122223333&role_name=Admin")
        #expect(request.headers["x-amz-sso_bearer_token"] == "cached-access")
        #expect(request.headers["Authorization"] == nil)
    }

    @Test func sessionTokenNearExpiryIsRefreshedAndWrittenBackKeepingUnknownFields() async throws {
        let files = MemoryFiles([Self.sessionCache: Self.token(expiresAfter: 14 * 60)])
        let transport = ScriptedTransport { request, _ in
            if request.url.path == "/token" {
                return HTTPResponse(status: 200, body: Data(#"{"accessToken":"new-access","expiresIn":28800,"refreshToken":"refresh-2","tokenType":"Bearer"}"#.utf8))
            }
            return Fixture.portalAnswer(accessKeyID: "ASIAREFRESHED")
        }
        let context = try Fixture.context(config: Self.sessionConfig, files: files, transport: transport)
        #expect(try await Fixture.chain(context, profile: "dev").credentials().accessKeyID == "ASIAREFRESHED")
        let refresh = transport.requests[0]
        #expect(refresh.url.absoluteString == "https://oidc.eu-west-1.amazonaws.com/token")
        let body = try JSONDecoder().decode([String: String].self, from: refresh.body)
        #expect(body == ["grantType": "refresh_token", "clientId": "client-1", "clientSecret": "client-secret", "refreshToken": "refresh-1"])
        #expect(transport.requests[1].headers["x-amz-sso_bearer_token"] == "new-access")
        #expect(files.writtenPaths == [Self.sessionCache])
        let saved = try JSONDecoder().decode(JSONValue.self, from: Data(try #require(files.text(Self.sessionCache)).utf8))
        guard case .object(let fields) = saved else { Issue.record("not an object"); return }
        #expect(fields["accessToken"] == .string("new-access"))
        #expect(fields["refreshToken"] == .string("refresh-2"))
        #expect(fields["expiresAt"] == .string(SSOTokenProvider.formatDate(Fixture.start.addingTimeInterval(28800))))
        #expect(fields["customField"] == .object(["kept": .bool(true)]))
        #expect(fields["clientSecret"] == .string("client-secret"))
    }

    @Test func tokenWithMoreThanFifteenMinutesLeftIsNotRefreshed() async throws {
        let files = MemoryFiles([Self.sessionCache: Self.token(expiresAfter: 16 * 60)])
        let transport = ScriptedTransport([.success(Fixture.portalAnswer(accessKeyID: "ASIASSO"))])
        let context = try Fixture.context(config: Self.sessionConfig, files: files, transport: transport)
        _ = try await Fixture.chain(context, profile: "dev").credentials()
        #expect(transport.requests.map(\.url.path) == ["/federation/credentials"])
        #expect(files.writtenPaths.isEmpty)
    }

    @Test func failedRefreshFallsBackToTheStillValidToken() async throws {
        let files = MemoryFiles([Self.sessionCache: Self.token(expiresAfter: 5 * 60)])
        let transport = ScriptedTransport { request, _ in
            if request.url.path == "/token" {
                return HTTPResponse(status: 400, headers: HTTPHeaders([("x-amzn-ErrorType", "InvalidGrantException")]), body: Data(#"{"error":"invalid_grant"}"#.utf8))
            }
            return Fixture.portalAnswer(accessKeyID: "ASIAOLD")
        }
        let context = try Fixture.context(config: Self.sessionConfig, files: files, transport: transport)
        #expect(try await Fixture.chain(context, profile: "dev").credentials().accessKeyID == "ASIAOLD")
        #expect(transport.requests[1].headers["x-amz-sso_bearer_token"] == "cached-access")
        #expect(files.writtenPaths.isEmpty)
    }

    static let signInCases: [(String, String?)] = [
        ("missing", nil),
        ("expired without refresh fields", token(expiresAfter: -60, refreshable: false)),
        ("not JSON", "{not json"),
    ]

    @Test(arguments: signInCases)
    func unusableTokenNeedsSignInNamingTheCommand(name: String, cached: String?) async throws {
        let files = MemoryFiles()
        if let cached { files.set(Self.sessionCache, cached) }
        let transport = ScriptedTransport([])
        let context = try Fixture.context(config: Self.sessionConfig, files: files, transport: transport)
        let error = try #require(await #expect(throws: KMSError.self) { try await Fixture.chain(context, profile: "dev").credentials() })
        #expect(error.code == .signInRequired, "\(name)")
        #expect(error.message.contains("aws sso login --profile dev"))
        #expect(!error.message.contains("cached-access"))
        #expect(transport.requests.isEmpty)
    }

    @Test func portalRejectionNeedsSignIn() async throws {
        let files = MemoryFiles([Self.legacyCache: Self.token(expiresAfter: 3600)])
        let transport = ScriptedTransport([.success(ScriptedTransport.failure("UnauthorizedException", status: 401))])
        let context = try Fixture.context(config: Self.legacyConfig, files: files, transport: transport)
        let error = try #require(await #expect(throws: KMSError.self) { try await Fixture.chain(context, profile: "legacy").credentials() })
        #expect(error.code == .signInRequired)
        #expect(error.awsErrorType == "UnauthorizedException")
    }

    static let brokenConfigurations: [(String, String)] = [
        ("[profile dev]\nsso_session = nope\nsso_account_id = 1\nsso_role_name = R\n", "no [sso-session nope] section"),
        ("[profile dev]\nsso_start_url = https://s\nsso_region = eu-west-1\nsso_account_id = 1\n", "lacks sso_role_name"),
        (sessionConfig.replacingOccurrences(of: "sso_session = corp", with: "sso_session = corp\nsso_region = us-east-1"), "disagree on sso_region"),
    ]

    @Test(arguments: brokenConfigurations)
    func brokenSSOConfigurationIsAConfigurationError(config: String, fragment: String) async throws {
        let context = try Fixture.context(config: config, transport: ScriptedTransport([]))
        let error = try #require(await #expect(throws: KMSError.self) { try await Fixture.chain(context, profile: "dev").credentials() })
        #expect(error.code == .invalidConfiguration)
        #expect(error.message.contains(fragment))
    }

    @Test func systemWriterReplacesTheFileWithMode0600() async throws {
        try await CredentialTestSupport.withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("token.json").path
            try Data("old".utf8).write(to: URL(fileURLWithPath: path))
            try SystemFileWriter.write(path, Data("new".utf8))
            #expect(try String(contentsOfFile: path, encoding: .utf8) == "new")
            let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber
            #expect(mode?.intValue == 0o600)
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["token.json"])
        }
    }
}
