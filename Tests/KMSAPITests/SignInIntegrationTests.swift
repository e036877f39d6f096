import Foundation
import KMSLocal
import Testing

@testable import KMSAPI

/// Signing in over real HTTP: an SSO portal and SSO-OIDC fake on loopback, moto's STS when
/// `KMS_MOTO_ENDPOINT` is set, then a KMS call to an in-process kms-local that accepts only the
/// temporary credentials with their session token.
struct SignInIntegrationTests {
    typealias Fixture = CredentialChainFixture

    /// Runs `body` against a kms-local that accepts only `credentials` (with their token).
    private func withKMSLocal(accepting credentials: Credentials, _ body: (KMSClient, URL) async throws -> Void) async throws {
        var configuration = KMSLocalConfiguration()
        configuration.port = 0
        configuration.credentials = [credentials.accessKeyID: credentials.secretAccessKey]
        if let token = credentials.sessionToken { configuration.sessionTokens = [credentials.accessKeyID: token] }
        let server = KMSLocalServer(configuration: configuration, now: { Date() })
        try server.start()
        defer { server.stop() }
        try await body(makeClient(server.endpoint, credentials), server.endpoint)
    }

    private func makeClient(_ endpoint: URL, _ credentials: Credentials) -> KMSClient {
        let clock = ContinuousClock()
        return KMSClient(
            configuration: KMSClientConfiguration(region: "us-east-1", endpoint: endpoint, maxAttempts: 1),
            credentials: StaticCredentialProvider(credentials), transport: URLSessionTransport(connectTimeout: 5, requestTimeout: 30),
            rateLimiter: .unlimited, clock: clock, now: { Date() }, random: .system())
    }

    private func realContext(
        config: String, environment: [String: String], files: MemoryFiles = MemoryFiles()
    ) throws -> CredentialContext {
        let transport = URLSessionTransport(connectTimeout: 5, requestTimeout: 30)
        let shared = try CredentialTestSupport.files(config: config, credentials: "[base]\naws_access_key_id = testing\naws_secret_access_key = testing\n")
        let resolver = AWSConfigResolver(environment: environment, files: shared)
        let services = CredentialServiceFactory(
            resolver: resolver, options: AWSOptions(), region: "us-east-1", maxAttempts: 2, userAgent: "test",
            transport: transport, clock: ContinuousClock(), now: { Date() }, random: .system())
        return CredentialContext(
            environment: environment, files: shared, homeDirectory: Fixture.home, readFile: files.reader, writeFile: files.writer,
            transport: transport, metadataTransport: transport, processRunner: DefaultCredentialChainTests.NoProcessRunner(),
            services: services, mfaPrompt: { _, _ in nil }, now: { Date() })
    }

    @Test func ssoSessionRefreshesAndItsCredentialsCallKMSLocal() async throws {
        let routes: [String: CannedResponse] = [
            "POST /token": CannedResponse(body: #"{"accessToken":"fresh-access","expiresIn":3600,"tokenType":"Bearer"}"#),
            "GET /federation/credentials": CannedResponse(
                body: #"{"roleCredentials":{"accessKeyId":"ASIASSOFAKE","secretAccessKey":"sso-fake-secret","sessionToken":"sso-fake-token","expiration":4102444800000}}"#),
        ]
        try await withLoopbackServer(routes: routes) { sso in
            let files = MemoryFiles([
                SSOCredentialProviderTests.sessionCache: #"{"accessToken":"stale","expiresAt":"2000-01-01T00:00:00Z","refreshToken":"r","clientId":"c","clientSecret":"cs","registrationExpiresAt":"2099-01-01T00:00:00Z","extra":"kept"}"#,
            ])
            let config = "[profile dev]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Admin\n[sso-session corp]\nsso_start_url = https://example.awsapps.com/start\nsso_region = eu-west-1\n"
            let context = try realContext(
                config: config, environment: ["AWS_ENDPOINT_URL_SSO": sso.baseURL, "AWS_ENDPOINT_URL_SSO_OIDC": sso.baseURL], files: files)
            let credentials = try await Fixture.chain(context, profile: "dev", flag: true).credentials()
            #expect(credentials.accessKeyID == "ASIASSOFAKE")
            #expect(sso.requests.map(\.path) == ["/token", "/federation/credentials"])
            #expect(sso.requests.last?.headers["x-amz-sso_bearer_token"] == "fresh-access")
            #expect(files.text(SSOCredentialProviderTests.sessionCache)?.contains(#""extra":"kept""#) == true)
            try await withKMSLocal(accepting: credentials) { client, endpoint in
                _ = try await client.describeCustomKeyStores()
                var tokenless = credentials
                tokenless.sessionToken = nil
                let error = try #require(await #expect(throws: KMSError.self) { try await makeClient(endpoint, tokenless).describeCustomKeyStores() })
                #expect(error.awsErrorType == "UnrecognizedClientException")
            }
        }
    }

    private static var motoEndpoint: String? { ProcessInfo.processInfo.environment["KMS_MOTO_ENDPOINT"] }

    @Test(.enabled(if: motoEndpoint != nil))
    func motoAssumeRoleChainCredentialsCallKMSLocal() async throws {
        let endpoint = try #require(Self.motoEndpoint)
        let config = """
            [profile first]
            role_arn = arn:aws:iam::123456789012:role/first
            source_profile = base
            [profile admin]
            role_arn = arn:aws:iam::123456789012:role/admin
            source_profile = first
            role_session_name = integration
            """
        let context = try realContext(config: config, environment: ["AWS_ENDPOINT_URL_STS": endpoint])
        let credentials = try await Fixture.chain(context, profile: "admin").credentials()
        #expect(credentials.accessKeyID.hasPrefix("ASIA"))
        #expect(credentials.sessionToken?.isEmpty == false)
        #expect(try #require(credentials.expiration) > Date())
        try await withKMSLocal(accepting: credentials) { client, _ in _ = try await client.describeCustomKeyStores() }
    }

    @Test(.enabled(if: motoEndpoint != nil))
    func motoWebIdentityCredentialsCallKMSLocal() async throws {
        let endpoint = try #require(Self.motoEndpoint)
        let files = MemoryFiles(["/var/run/secrets/token": "eyJhbGciOiJub25lIn0.e30.web-identity"])
        let context = try realContext(
            config: "", environment: [
                "AWS_ENDPOINT_URL_STS": endpoint, "AWS_WEB_IDENTITY_TOKEN_FILE": "/var/run/secrets/token",
                "AWS_ROLE_ARN": "arn:aws:iam::123456789012:role/ci", "AWS_ROLE_SESSION_NAME": "ci-run",
            ], files: files)
        let credentials = try await Fixture.chain(context).credentials()
        #expect(credentials.source == "web identity (the environment)")
        try await withKMSLocal(accepting: credentials) { client, _ in _ = try await client.describeCustomKeyStores() }
    }
}
