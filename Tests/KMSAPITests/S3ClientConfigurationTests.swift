import Foundation
import KMSAPI
import Testing

struct S3ClientConfigurationTests {
    private func make(
        environment: [String: String] = [:], options: AWSOptions = AWSOptions(), region: String? = nil,
        config: String = "[default]\nregion = eu-west-1\n"
    ) throws -> S3ClientConfiguration {
        let resolver = AWSConfigResolver(environment: environment, files: try CredentialTestSupport.files(config: config))
        let resolved = try resolver.resolve(options)
        return try S3ClientConfiguration.make(resolver: resolver, options: options, resolved: resolved, region: region)
    }

    @Test func usesTheRegionalEndpointVirtualHosted() throws {
        let configuration = try make()
        #expect(configuration.endpoint.absoluteString == "https://s3.eu-west-1.amazonaws.com")
        #expect(configuration.addressingStyle == .virtualHostedWhenPossible)
        #expect(configuration.region == "eu-west-1")
        let other = try make(region: "ap-southeast-2")
        #expect(other.endpoint.absoluteString == "https://s3.ap-southeast-2.amazonaws.com")
        #expect(other.region == "ap-southeast-2")
    }

    @Test func goesPathStyleAgainstAnOverride() throws {
        let s3Only = try make(environment: ["AWS_ENDPOINT_URL_S3": "http://127.0.0.1:5000", "AWS_ENDPOINT_URL": "http://127.0.0.1:1"])
        #expect(s3Only.endpoint.absoluteString == "http://127.0.0.1:5000")
        #expect(s3Only.addressingStyle == .path)
        let global = try make(environment: ["AWS_ENDPOINT_URL": "http://127.0.0.1:1"])
        #expect(global.endpoint.absoluteString == "http://127.0.0.1:1")
        #expect(global.addressingStyle == .path)
    }

    /// `--endpoint-url` names the KMS endpoint only (as the AWS CLI's flag names one service).
    @Test func ignoresTheKMSEndpointFlag() throws {
        let configuration = try make(options: AWSOptions(endpointURL: "http://127.0.0.1:4599"))
        #expect(configuration.endpoint.absoluteString == "https://s3.eu-west-1.amazonaws.com")
        #expect(configuration.addressingStyle == .virtualHostedWhenPossible)
    }

    @Test func takesTheRetrySettings() throws {
        let configuration = try make(environment: ["AWS_MAX_ATTEMPTS": "6", "AWS_RETRY_MODE": "legacy"])
        #expect(configuration.maxAttempts == 6)
        #expect(configuration.retryMode == .legacy)
    }
}
