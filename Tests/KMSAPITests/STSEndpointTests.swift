import Foundation
import Testing

@testable import KMSAPI

/// Where STS calls go: regional by default, global only with `legacy` in the legacy Regions, FIPS and overrides.
struct STSEndpointTests {
    private func resolve(
        _ environment: [String: String] = [:], config: String = "", region: String
    ) throws -> (url: URL, signingRegion: String, source: String) {
        let resolver = AWSConfigResolver(environment: environment, files: try CredentialTestSupport.files(config: config))
        return try STSEndpoint.resolve(resolver, AWSOptions(), region: region)
    }

    @Test func regionalByDefault() throws {
        let endpoint = try resolve(region: "eu-west-1")
        #expect(endpoint.url.absoluteString == "https://sts.eu-west-1.amazonaws.com")
        #expect(endpoint.signingRegion == "eu-west-1")
    }

    @Test(arguments: ["us-east-1", "eu-west-1", "ap-southeast-2"])
    func legacyUsesTheGlobalEndpointInLegacyRegions(region: String) throws {
        let endpoint = try resolve(["AWS_STS_REGIONAL_ENDPOINTS": "legacy"], region: region)
        #expect(endpoint.url.absoluteString == "https://sts.amazonaws.com")
        #expect(endpoint.signingRegion == "us-east-1")
    }

    @Test func legacyStaysRegionalInNewerRegionsAndTheProfileSettingCounts() throws {
        #expect(try resolve(["AWS_STS_REGIONAL_ENDPOINTS": "legacy"], region: "af-south-1").url.absoluteString == "https://sts.af-south-1.amazonaws.com")
        let fromProfile = try resolve(config: "[default]\nsts_regional_endpoints = legacy\n", region: "us-west-2")
        #expect(fromProfile.url.absoluteString == "https://sts.amazonaws.com")
    }

    @Test func fipsWinsOverLegacy() throws {
        let endpoint = try resolve(["AWS_STS_REGIONAL_ENDPOINTS": "legacy", "AWS_USE_FIPS_ENDPOINT": "true"], region: "us-east-1")
        #expect(endpoint.url.absoluteString == "https://sts-fips.us-east-1.amazonaws.com")
    }

    @Test func overridesWin() throws {
        let endpoint = try resolve(
            ["AWS_ENDPOINT_URL_STS": "http://127.0.0.1:9", "AWS_ENDPOINT_URL": "http://127.0.0.1:8", "AWS_STS_REGIONAL_ENDPOINTS": "legacy"],
            region: "us-east-1")
        #expect(endpoint.url.absoluteString == "http://127.0.0.1:9")
        #expect(endpoint.source == "AWS_ENDPOINT_URL_STS")
        #expect(endpoint.signingRegion == "us-east-1")
    }

    @Test func anUnknownModeIsAConfigurationError() throws {
        let error = try #require(throws: KMSError.self) { try resolve(["AWS_STS_REGIONAL_ENDPOINTS": "global"], region: "us-east-1") }
        #expect(error.code == .invalidConfiguration)
        #expect(error.message.contains("AWS_STS_REGIONAL_ENDPOINTS"))
    }
}
