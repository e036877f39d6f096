import Foundation

/// An AWS service as endpoint resolution names it: host prefix, environment suffix, `services` key.
///
/// One value per service this tool calls, so every client resolves its endpoint by the same rule
/// (`AWS_ENDPOINT_URL_<SERVICE>` > `AWS_ENDPOINT_URL` > `services` section > profile
/// `endpoint_url` > the default host), as the SDKs do.
public struct AWSServiceID: Sendable, Hashable, CustomStringConvertible {
    /// The first label of the default host (`kms`, `portal.sso`).
    public let endpointPrefix: String
    /// The suffix of `AWS_ENDPOINT_URL_<SUFFIX>` (`KMS`, `SSO_OIDC`).
    public let environmentSuffix: String
    /// The key in a config file `[services NAME]` section (`kms`, `sso_oidc`).
    public let servicesKey: String
    /// Whether the service has `<prefix>-fips` hosts.
    public let hasFIPSEndpoints: Bool

    public init(endpointPrefix: String, environmentSuffix: String, servicesKey: String, hasFIPSEndpoints: Bool = true) {
        self.endpointPrefix = endpointPrefix
        self.environmentSuffix = environmentSuffix
        self.servicesKey = servicesKey
        self.hasFIPSEndpoints = hasFIPSEndpoints
    }

    public var description: String { servicesKey }

    /// AWS Key Management Service.
    public static let kms = AWSServiceID(endpointPrefix: "kms", environmentSuffix: "KMS", servicesKey: "kms")
    /// AWS Security Token Service (regional endpoints; the legacy global one is the STS client's choice).
    public static let sts = AWSServiceID(endpointPrefix: "sts", environmentSuffix: "STS", servicesKey: "sts")
    /// AWS CloudTrail.
    public static let cloudTrail = AWSServiceID(endpointPrefix: "cloudtrail", environmentSuffix: "CLOUDTRAIL", servicesKey: "cloudtrail")
    /// Amazon S3.
    public static let s3 = AWSServiceID(endpointPrefix: "s3", environmentSuffix: "S3", servicesKey: "s3")
    /// The IAM Identity Center (SSO) portal.
    public static let sso = AWSServiceID(
        endpointPrefix: "portal.sso", environmentSuffix: "SSO", servicesKey: "sso", hasFIPSEndpoints: false)
    /// IAM Identity Center OIDC (token refresh).
    public static let ssoOIDC = AWSServiceID(
        endpointPrefix: "oidc", environmentSuffix: "SSO_OIDC", servicesKey: "sso_oidc", hasFIPSEndpoints: false)

    /// The public endpoint in a Region: `https://<prefix>[-fips].<region>.<partition suffix>`.
    public func defaultURL(region: String, useFIPS: Bool) -> URL? {
        let prefix = useFIPS && hasFIPSEndpoints ? "\(endpointPrefix)-fips" : endpointPrefix
        return URL(string: "https://\(prefix).\(region).\(KMSEndpoint.dnsSuffix(region: region))")
    }
}
