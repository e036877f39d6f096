import Foundation

/// Builds and checks KMS endpoint URLs.
public enum KMSEndpoint {
    /// Returns the public KMS endpoint of a region, such as `https://kms.eu-west-1.amazonaws.com`.
    /// - Parameters:
    ///   - region: a region already checked by `isValidRegion(_:)`.
    ///   - useFIPS: whether to use the `kms-fips` host.
    public static func defaultURL(region: String, useFIPS: Bool) -> URL? {
        AWSServiceID.kms.defaultURL(region: region, useFIPS: useFIPS)
    }

    /// Returns the DNS suffix of the partition a region belongs to.
    public static func dnsSuffix(region: String) -> String {
        if region.hasPrefix("cn-") { return "amazonaws.com.cn" }
        if region.hasPrefix("us-isob-") { return "sc2s.sgov.gov" }
        if region.hasPrefix("us-iso-") { return "c2s.ic.gov" }
        return "amazonaws.com"
    }

    /// Returns whether a region name has the form AWS uses (`[a-z0-9-]+`, not starting or ending with `-`).
    public static func isValidRegion(_ region: String) -> Bool {
        guard !region.isEmpty, region.first != "-", region.last != "-" else { return false }
        return region.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }

    /// Parses an endpoint setting, requiring an absolute `http` or `https` URL with a host.
    /// - Parameters:
    ///   - text: the setting's value.
    ///   - source: the setting's name, for the error message.
    /// - Throws: `KMSError` with `config.invalid` naming the source.
    public static func parseEndpoint(_ text: String, source: String) throws -> URL {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = url.host, !host.isEmpty
        else {
            throw KMSError(
                code: .invalidConfiguration,
                message: "The endpoint '\(text)' from \(source) is not an absolute http or https URL; use a value such as https://kms.us-east-1.amazonaws.com.")
        }
        return url
    }
}
