import Foundation
import Synchronization
import Testing

@testable import KMSAPI

/// Assume-role profiles: source profiles, chains, credential_source, MFA and the configuration errors.
struct AssumeRoleCredentialProviderTests {
    typealias Fixture = CredentialChainFixture
    private static let sourceKeys = "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret\n"

    @Test func assumesTheRoleSignedWithTheSourceProfile() async throws {
        let transport = ScriptedTransport([.success(Fixture.stsAnswer(accessKeyID: "ASIAROLE"))])
        let config = "[profile admin]\nrole_arn = arn:aws:iam::111122223333:role/admin\nsource_profile = base\nexternal_id = ext-1\nduration_seconds = 1800\nrole_session_name = me\n"
        let context = try Fixture.context(config: config, credentials: Self.sourceKeys, transport: transport)
        let credentials = try await Fixture.chain(context, profile: "admin").credentials()
        #expect(credentials.accessKeyID == "ASIAROLE")
        #expect(credentials.sessionToken == "token-ASIAROLE")
        #expect(credentials.expiration == Fixture.start.addingTimeInterval(3600))
        #expect(credentials.source == "assume-role profile admin")
        let request = try #require(transport.requests.first)
        #expect(request.url.absoluteString == "https://sts.us-east-1.amazonaws.com/")
        #expect(request.headers["Content-Type"] == "application/x-www-form-urlencoded; charset=utf-8")
        #expect(Fixture.signingKey(request) == "AKIDBASE")
        #expect(request.headers["Authorization"]?.contains("/us-east-1/sts/aws4_request") == true)
        #expect(Fixture.form(request) == [
            "Action": "AssumeRole", "Version": "2011-06-15", "RoleArn": "arn:aws:iam::111122223333:role/admin",
            "RoleSessionName": "me", "DurationSeconds": "1800", "ExternalId": "ext-1",
        ])
    }

    @Test func chainsRolesToAnyDepth() async throws {
        let transport = ScriptedTransport([
            .success(Fixture.stsAnswer(accessKeyID: "ASIAFIRST")), .success(Fixture.stsAnswer(accessKeyID: "ASIASECOND")),
        ])
        let config = """
            [profile first]
            role_arn = arn:aws:iam::1:role/first
            source_profile = base
            [profile second]
            role_arn = arn:aws:iam::2:role/second
            source_profile = first
            """
        let context = try Fixture.context(config: config, credentials: Self.sourceKeys, transport: transport)
        #expect(try await Fixture.chain(context, profile: "second").credentials().accessKeyID == "ASIASECOND")
        #expect(transport.requests.map(Fixture.signingKey) == ["AKIDBASE", "ASIAFIRST"])
        #expect(transport.requests.map { Fixture.form($0)["RoleArn"] } == ["arn:aws:iam::1:role/first", "arn:aws:iam::2:role/second"])
        #expect(Fixture.form(transport.requests[0])["RoleSessionName"] == "botocore-session-1800000000")
    }

    @Test func aProfileMayUseItsOwnStaticKeysAsSource() async throws {
        let transport = ScriptedTransport([.success(Fixture.stsAnswer(accessKeyID: "ASIASELF"))])
        let config = "[profile self]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = self\naws_access_key_id = AKIDSELF\naws_secret_access_key = s\n"
        let context = try Fixture.context(config: config, transport: transport)
        #expect(try await Fixture.chain(context, profile: "self").credentials().accessKeyID == "ASIASELF")
        #expect(transport.requests.map(Fixture.signingKey) == ["AKIDSELF"])
    }

    static let brokenConfigurations: [(String, String)] = [
        ("[profile a]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = b\n[profile b]\nrole_arn = arn:aws:iam::1:role/b\nsource_profile = a\n", "loops (a -> b -> a)"),
        ("[profile a]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = a\n", "loops (a -> a)"),
        ("[profile a]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = base\ncredential_source = Environment\n", "both source_profile and credential_source"),
        ("[profile a]\nrole_arn = arn:aws:iam::1:role/a\n", "neither source_profile nor credential_source"),
        ("[profile a]\nrole_arn = arn:aws:iam::1:role/a\ncredential_source = Laptop\n", "credential_source 'Laptop'"),
        ("[profile a]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = missing\n", "source_profile 'missing' of profile 'a' does not exist"),
        ("[profile a]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = base\nduration_seconds = soon\n", "duration_seconds"),
        ("[profile a]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = empty\n[profile empty]\nregion = us-east-1\n", "source profile 'empty' has no credentials"),
    ]

    @Test(arguments: brokenConfigurations)
    func brokenRoleConfigurationIsAConfigurationErrorNamingIt(config: String, fragment: String) async throws {
        let transport = ScriptedTransport([])
        let context = try Fixture.context(config: config, credentials: Self.sourceKeys, transport: transport)
        let error = try #require(await #expect(throws: KMSError.self) { try await Fixture.chain(context, profile: "a").credentials() })
        #expect(error.code == .invalidConfiguration)
        #expect(error.message.contains(fragment))
        #expect(transport.requests.isEmpty)
    }

    @Test func environmentCredentialSourceIsUsedEvenWithProfileFlag() async throws {
        let transport = ScriptedTransport([.success(Fixture.stsAnswer(accessKeyID: "ASIAENVROLE"))])
        let context = try Fixture.context(
            config: "[profile ci]\nrole_arn = arn:aws:iam::1:role/ci\ncredential_source = Environment\n",
            environment: ["AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "env-secret"], transport: transport)
        #expect(try await Fixture.chain(context, profile: "ci", flag: true).credentials().accessKeyID == "ASIAENVROLE")
        #expect(transport.requests.map(Fixture.signingKey) == ["AKIDENV"])
    }

    @Test func mfaCodeIsAskedForAndSent() async throws {
        let transport = ScriptedTransport([.success(Fixture.stsAnswer(accessKeyID: "ASIAMFA"))])
        let asked = Mutex<[String]>([])
        let context = try Fixture.context(
            config: "[profile mfa]\nrole_arn = arn:aws:iam::1:role/m\nsource_profile = base\nmfa_serial = arn:aws:iam::1:mfa/me\n",
            credentials: Self.sourceKeys, transport: transport,
            prompt: { profile, serial in
                asked.withLock { $0.append("\(profile) \(serial)") }
                return " 123456\n"
            })
        #expect(try await Fixture.chain(context, profile: "mfa").credentials().accessKeyID == "ASIAMFA")
        #expect(asked.withLock { $0 } == ["mfa arn:aws:iam::1:mfa/me"])
        let form = Fixture.form(try #require(transport.requests.first))
        #expect(form["SerialNumber"] == "arn:aws:iam::1:mfa/me")
        #expect(form["TokenCode"] == "123456")
    }

    @Test func roleCredentialsAreRefreshedFifteenMinutesBeforeTheyExpire() async throws {
        let clock = ManualNow(Fixture.start)
        let transport = ScriptedTransport { _, index in
            Fixture.stsAnswer(accessKeyID: "ASIAROLE\(index)", expires: clock.now().addingTimeInterval(3600))
        }
        let prompts = Mutex(0)
        let context = try Fixture.context(
            config: "[profile mfa]\nrole_arn = arn:aws:iam::1:role/m\nsource_profile = base\nmfa_serial = arn:aws:iam::1:mfa/me\n",
            credentials: Self.sourceKeys, transport: transport, now: clock,
            prompt: { _, _ in
                prompts.withLock { $0 += 1 }
                return "123456"
            })
        let cache = CachingCredentialProvider(base: Fixture.chain(context, profile: "mfa"), now: clock.now)
        #expect(try await cache.credentials().accessKeyID == "ASIAROLE0")
        clock.advance(by: 44 * 60)
        #expect(try await cache.credentials().accessKeyID == "ASIAROLE0")
        clock.advance(by: 2 * 60)
        #expect(try await cache.credentials().accessKeyID == "ASIAROLE1")
        #expect(transport.requests.count == 2)
        // Each refresh asks for a fresh MFA code, as the AWS CLI does.
        #expect(prompts.withLock { $0 } == 2)
    }

    @Test func mfaWithoutATerminalNeedsSignIn() async throws {
        let transport = ScriptedTransport([])
        let context = try Fixture.context(
            config: "[profile mfa]\nrole_arn = arn:aws:iam::1:role/m\nsource_profile = base\nmfa_serial = arn:aws:iam::1:mfa/me\n",
            credentials: Self.sourceKeys, transport: transport)
        let error = try #require(await #expect(throws: KMSError.self) { try await Fixture.chain(context, profile: "mfa").credentials() })
        #expect(error.code == .signInRequired)
        #expect(transport.requests.isEmpty)
    }

    @Test func stsErrorsKeepTheirAWSName() async throws {
        let transport = ScriptedTransport([.success(Fixture.stsError("AccessDenied"))])
        let context = try Fixture.context(
            config: "[profile a]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = base\n", credentials: Self.sourceKeys, transport: transport)
        let error = try #require(await #expect(throws: KMSError.self) { try await Fixture.chain(context, profile: "a").credentials() })
        #expect(error.code == .accessDenied)
        #expect(error.awsErrorType == "AccessDenied")
        #expect(error.requestID == "req-e")
    }

    @Test func sourceProfileMayBeAnSSOProfile() async throws {
        let files = MemoryFiles()
        let cache = "\(Fixture.home)/.aws/sso/cache/\(SSOTokenProvider.cacheKey(sessionName: nil, startURL: "https://start"))"
        files.set(cache + ".json", #"{"accessToken":"sso-access","expiresAt":"2027-01-16T08:00:00Z"}"#)
        let transport = ScriptedTransport { request, _ in
            request.method == "GET" ? Fixture.portalAnswer(accessKeyID: "ASIASSO") : Fixture.stsAnswer(accessKeyID: "ASIAROLE")
        }
        let config = """
            [profile sso]
            sso_start_url = https://start
            sso_region = eu-west-1
            sso_account_id = 111122223333
            sso_role_name = Admin
            [profile admin]
            role_arn = arn:aws:iam::2:role/admin
            source_profile = sso
            """
        let context = try Fixture.context(config: config, files: files, transport: transport)
        #expect(try await Fixture.chain(context, profile: "admin").credentials().accessKeyID == "ASIAROLE")
        #expect(transport.requests.map(Fixture.signingKey) == [nil, "ASIASSO"])
    }
}
