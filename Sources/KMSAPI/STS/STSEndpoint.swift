import Foundation

/// The STS endpoint rule on top of `AWSConfigResolver.endpoint(for:)`: regional by default, the
/// global `sts.amazonaws.com` (signed for us-east-1) with `sts_regional_endpoints = legacy` in the
/// legacy Regions, as botocore's endpoint rules do.
public enum STSEndpoint {
    /// The Regions whose legacy endpoint is the global one (botocore's STS rule set).
    static let legacyGlobalRegions: Set<String> = [
        "ap-northeast-1", "ap-south-1", "ap-southeast-1", "ap-southeast-2", "aws-global", "ca-central-1",
        "eu-central-1", "eu-north-1", "eu-west-1", "eu-west-2", "eu-west-3", "sa-east-1", "us-east-1",
        "us-east-2", "us-west-1", "us-west-2",
    ]

    /// Resolves where STS calls go and the Region they are signed for.
    /// - Returns: the URL, the signing Region and the setting the URL came from.
    /// - Throws: `KMSError` with `config.invalid` for a malformed endpoint or `sts_regional_endpoints`.
    public static func resolve(
        _ resolver: AWSConfigResolver, _ options: AWSOptions, region: String
    ) throws -> (url: URL, signingRegion: String, source: String) {
        let (url, source) = try resolver.endpoint(for: .sts, options, region: region)
        guard source == "default", try usesLegacyGlobalEndpoint(resolver, options),
            legacyGlobalRegions.contains(region), url.host?.hasPrefix("sts-fips.") != true,
            let global = URL(string: "https://sts.amazonaws.com")
        else { return (url, region, source) }
        return (global, "us-east-1", "AWS_STS_REGIONAL_ENDPOINTS=legacy")
    }

    /// Reads `AWS_STS_REGIONAL_ENDPOINTS`, then the profile's `sts_regional_endpoints` (`regional` by default).
    static func usesLegacyGlobalEndpoint(_ resolver: AWSConfigResolver, _ options: AWSOptions) throws -> Bool {
        let (profile, settings) = try resolver.profileSettings(options)
        let candidates: [(String?, String)] = [
            (resolver.environment.nonEmptyValue("AWS_STS_REGIONAL_ENDPOINTS"), "AWS_STS_REGIONAL_ENDPOINTS"),
            (settings.nonEmptyValue("sts_regional_endpoints"), "sts_regional_endpoints in profile '\(profile)'"),
        ]
        guard let (value, source) = candidates.first(where: { $0.0 != nil }), let value else { return false }
        switch value.lowercased() {
        case "legacy": return true
        case "regional": return false
        default:
            throw KMSError(code: .invalidConfiguration, message: "\(source) is '\(value)'; use regional or legacy.")
        }
    }
}
