import Foundation
import Testing

@testable import KMSAPI

struct AWSConfigResolverTests {
    private static let config = """
        [default]
        region = us-west-2
        [profile dev]
        region = eu-west-1
        endpoint_url = http://localhost:4566
        max_attempts = 7
        retry_mode = adaptive
        [profile fips]
        region = us-east-1
        use_fips_endpoint = true
        [profile svc]
        region = us-east-1
        services = local
        endpoint_url = http://global.example
        [profile noregion]
        output = json
        [services local]
        kms =
          endpoint_url = http://127.0.0.1:9999
        sso_oidc =
          endpoint_url = http://127.0.0.1:7777
        """

    private func resolve(
        _ options: AWSOptions = AWSOptions(), environment: [String: String] = [:], config: String = Self.config
    ) throws -> ResolvedAWSConfiguration {
        let files = try CredentialTestSupport.files(config: config, credentials: "[credsonly]\naws_access_key_id = A\n")
        return try AWSConfigResolver(environment: environment, files: files).resolve(options)
    }

    private func endpoint(
        _ service: AWSServiceID, _ options: AWSOptions = AWSOptions(), environment: [String: String] = [:]
    ) throws -> (url: URL, source: String) {
        let files = try CredentialTestSupport.files(config: Self.config, credentials: "")
        return try AWSConfigResolver(environment: environment, files: files).endpoint(for: service, options, region: "eu-west-1")
    }

    // MARK: - Other services' endpoints

    @Test func otherServicesUseTheirOwnVariableThenTheGlobalOneButNeverTheKMSFlag() throws {
        let flag = AWSOptions(endpointURL: "http://kms-only.example")
        #expect(try endpoint(.cloudTrail, flag).url.absoluteString == "https://cloudtrail.eu-west-1.amazonaws.com")
        let environment = ["AWS_ENDPOINT_URL_CLOUDTRAIL": "http://127.0.0.1:1", "AWS_ENDPOINT_URL": "http://127.0.0.1:2"]
        #expect(try endpoint(.cloudTrail, environment: environment) == (URL(string: "http://127.0.0.1:1")!, "AWS_ENDPOINT_URL_CLOUDTRAIL"))
        #expect(try endpoint(.sts, environment: environment).url.absoluteString == "http://127.0.0.1:2")
        #expect(try endpoint(.ssoOIDC, environment: ["AWS_ENDPOINT_URL_SSO_OIDC": "http://127.0.0.1:3"]).source == "AWS_ENDPOINT_URL_SSO_OIDC")
    }

    @Test func servicesSectionNamesEachServiceByItsKey() throws {
        let svc = AWSOptions(profile: "svc")
        #expect(try endpoint(.ssoOIDC, svc).url.absoluteString == "http://127.0.0.1:7777")
        // No `s3` entry in the section: the profile's global endpoint_url applies.
        #expect(try endpoint(.s3, svc).url.absoluteString == "http://global.example")
    }

    @Test func fipsHostsOnlyWhereTheServiceHasThem() throws {
        let fips = AWSOptions(profile: "fips")
        #expect(try endpoint(.cloudTrail, fips).url.absoluteString == "https://cloudtrail-fips.eu-west-1.amazonaws.com")
        #expect(try endpoint(.sso, fips).url.absoluteString == "https://portal.sso.eu-west-1.amazonaws.com")
        #expect(try endpoint(.ssoOIDC).url.absoluteString == "https://oidc.eu-west-1.amazonaws.com")
    }

    @Test func aMalformedServiceEndpointNamesItsVariable() throws {
        let error = #expect(throws: KMSError.self) { try endpoint(.s3, environment: ["AWS_ENDPOINT_URL_S3": "s3.local"]) }
        #expect(error?.code == .invalidConfiguration)
        #expect(error?.message.contains("AWS_ENDPOINT_URL_S3") == true)
    }

    // MARK: - Profile

    @Test func profileFlagBeatsEnvironmentBeatsDefault() throws {
        #expect(try resolve().profile == "default")
        #expect(try resolve(environment: ["AWS_PROFILE": "dev"]).profile == "dev")
        #expect(try resolve(AWSOptions(profile: "fips"), environment: ["AWS_PROFILE": "dev"]).profile == "fips")
    }

    @Test(arguments: [AWSOptions(profile: "ghost"), AWSOptions()])
    func explicitUnknownProfileIsAnErrorNamingIt(options: AWSOptions) throws {
        let environment = options.profile == nil ? ["AWS_PROFILE": "ghost"] : [:]
        let error = try #require(throws: KMSError.self) { try resolve(options, environment: environment) }
        #expect(error.code == .invalidConfiguration)
        #expect(error.message.contains("'ghost'"))
    }

    @Test func profileOnlyInCredentialsFileExists() throws {
        let resolved = try resolve(AWSOptions(region: "us-east-1", profile: "credsonly"))
        #expect(resolved.profile == "credsonly")
    }

    @Test func missingDefaultProfileIsFine() throws {
        let resolved = try resolve(AWSOptions(region: "us-east-1"), config: "")
        #expect(resolved.profile == "default")
    }

    // MARK: - Region

    @Test(arguments: [
        (AWSOptions(region: "ca-central-1"), ["AWS_REGION": "eu-north-1", "AWS_DEFAULT_REGION": "eu-south-1"], "ca-central-1"),
        (AWSOptions(), ["AWS_REGION": "eu-north-1", "AWS_DEFAULT_REGION": "eu-south-1"], "eu-north-1"),
        (AWSOptions(), ["AWS_REGION": "", "AWS_DEFAULT_REGION": "eu-south-1"], "eu-south-1"),
        (AWSOptions(), [:], "us-west-2"),
        (AWSOptions(profile: "dev"), [:], "eu-west-1"),
    ])
    func regionPrecedence(options: AWSOptions, environment: [String: String], expected: String) throws {
        #expect(try resolve(options, environment: environment).region == expected)
    }

    @Test func noRegionIsAnErrorWithTheExactMessage() throws {
        let error = try #require(throws: KMSError.self) { try resolve(AWSOptions(profile: "noregion")) }
        #expect(error.code == .noRegion)
        #expect(
            error.message
                == "No AWS region is configured; pass --region, set AWS_REGION or AWS_DEFAULT_REGION, or add region to profile 'noregion'.")
    }

    @Test(arguments: ["US-EAST-1", "us_east_1", "us-east-1;rm", "-us"])
    func malformedRegionIsRejected(region: String) throws {
        let error = try #require(throws: KMSError.self) { try resolve(AWSOptions(region: region)) }
        #expect(error.code == .invalidConfiguration)
        #expect(error.message.contains("--region"))
    }

    // MARK: - Endpoint

    @Test(arguments: [
        (AWSOptions(profile: "dev", endpointURL: "http://flag:1"),
         ["AWS_ENDPOINT_URL_KMS": "http://kmsvar:2", "AWS_ENDPOINT_URL": "http://allvar:3"], "http://flag:1", "--endpoint-url"),
        (AWSOptions(profile: "dev"),
         ["AWS_ENDPOINT_URL_KMS": "http://kmsvar:2", "AWS_ENDPOINT_URL": "http://allvar:3"], "http://kmsvar:2", "AWS_ENDPOINT_URL_KMS"),
        (AWSOptions(profile: "dev"), ["AWS_ENDPOINT_URL": "http://allvar:3"], "http://allvar:3", "AWS_ENDPOINT_URL"),
        (AWSOptions(profile: "dev"), [:], "http://localhost:4566", "endpoint_url in profile 'dev'"),
        (AWSOptions(profile: "svc"), [:], "http://127.0.0.1:9999", "kms endpoint_url in services 'local'"),
        (AWSOptions(region: "eu-west-3"), [:], "https://kms.eu-west-3.amazonaws.com", "default"),
        (AWSOptions(region: "cn-north-1"), [:], "https://kms.cn-north-1.amazonaws.com.cn", "default"),
        (AWSOptions(region: "us-gov-west-1"), ["AWS_USE_FIPS_ENDPOINT": "true"], "https://kms-fips.us-gov-west-1.amazonaws.com", "default"),
        (AWSOptions(profile: "fips"), [:], "https://kms-fips.us-east-1.amazonaws.com", "default"),
        (AWSOptions(profile: "fips"), ["AWS_USE_FIPS_ENDPOINT": "FALSE"], "https://kms.us-east-1.amazonaws.com", "default"),
        (AWSOptions(profile: "dev"), ["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true", "AWS_ENDPOINT_URL": "http://x:1"],
         "https://kms.eu-west-1.amazonaws.com", "default"),
    ])
    func endpointPrecedence(options: AWSOptions, environment: [String: String], url: String, source: String) throws {
        let resolved = try resolve(options, environment: environment)
        #expect(resolved.endpoint.absoluteString == url)
        #expect(resolved.endpointSource == source)
    }

    @Test func fipsFlagIsReported() throws {
        #expect(try resolve(AWSOptions(profile: "fips")).useFIPS)
        #expect(try !resolve().useFIPS)
    }

    @Test(arguments: [
        (AWSOptions(endpointURL: "kms.local:4566"), [String: String](), "--endpoint-url"),
        (AWSOptions(), ["AWS_ENDPOINT_URL_KMS": "ftp://x"], "AWS_ENDPOINT_URL_KMS"),
        (AWSOptions(), ["AWS_ENDPOINT_URL": "/relative/path"], "AWS_ENDPOINT_URL"),
        (AWSOptions(profile: "bad"), [:], "endpoint_url in profile 'bad'"),
    ])
    func badEndpointNamesItsSource(options: AWSOptions, environment: [String: String], source: String) throws {
        let config = Self.config + "\n[profile bad]\nregion = us-east-1\nendpoint_url = not a url\n"
        let error = try #require(throws: KMSError.self) { try resolve(options, environment: environment, config: config) }
        #expect(error.code == .invalidConfiguration)
        #expect(error.message.contains(source))
    }

    @Test func badFIPSValueIsRejected() throws {
        let error = try #require(throws: KMSError.self) { try resolve(environment: ["AWS_USE_FIPS_ENDPOINT": "yes"]) }
        #expect(error.message.contains("AWS_USE_FIPS_ENDPOINT"))
    }

    // MARK: - Retries

    @Test func retrySettingsDefaultThenProfileThenEnvironment() throws {
        let defaults = try resolve()
        #expect(defaults.maxAttempts == 3)
        #expect(defaults.retryMode == .standard)
        let profile = try resolve(AWSOptions(profile: "dev"))
        #expect(profile.maxAttempts == 7)
        #expect(profile.retryMode == .adaptive)
        let environment = try resolve(AWSOptions(profile: "dev"), environment: ["AWS_MAX_ATTEMPTS": "1", "AWS_RETRY_MODE": "legacy"])
        #expect(environment.maxAttempts == 1)
        #expect(environment.retryMode == .legacy)
    }

    @Test(arguments: ["0", "-2", "three", "2.5"])
    func badMaxAttemptsNamesTheVariable(value: String) throws {
        let error = try #require(throws: KMSError.self) { try resolve(environment: ["AWS_MAX_ATTEMPTS": value]) }
        #expect(error.code == .invalidConfiguration)
        #expect(error.message.contains("AWS_MAX_ATTEMPTS"))
    }

    @Test func unknownRetryModeIsRejected() throws {
        let error = try #require(throws: KMSError.self) { try resolve(environment: ["AWS_RETRY_MODE": "aggressive"]) }
        #expect(error.code == .invalidConfiguration)
        #expect(error.message.contains("AWS_RETRY_MODE"))
        let fromProfile = try #require(throws: KMSError.self) {
            try resolve(config: "[default]\nregion = us-east-1\nretry_mode = sometimes\n")
        }
        #expect(fromProfile.message.contains("retry_mode in profile 'default'"))
    }

    // MARK: - CA bundle

    @Test func caBundleComesFromTheEnvironmentThenTheProfileElseNone() throws {
        let config = "[default]\nregion = us-east-1\nca_bundle = /etc/profile-ca.pem\n[profile plain]\nregion = us-east-1\n"
        #expect(try resolve(config: config).caBundle == CABundle(path: "/etc/profile-ca.pem", setting: "ca_bundle in profile 'default'"))
        let fromEnvironment = try resolve(environment: ["AWS_CA_BUNDLE": " /etc/env-ca.pem "], config: config).caBundle
        #expect(fromEnvironment == CABundle(path: "/etc/env-ca.pem", setting: "AWS_CA_BUNDLE"))
        #expect(try resolve(environment: ["AWS_CA_BUNDLE": ""], config: config).caBundle?.setting == "ca_bundle in profile 'default'")
        #expect(try resolve(AWSOptions(profile: "plain"), config: config).caBundle == nil)
    }
}
