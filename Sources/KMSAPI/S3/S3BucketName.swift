import Foundation

/// A bucket name S3 could accept: today's DNS-style rules, plus the legacy forms older buckets in
/// us-east-1 still carry (capitals, underscores, up to 255 characters), which only path-style reaches.
public struct S3BucketName: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The name as S3 knows it.
    public let rawValue: String

    /// Checks the name: 3 to 255 of `A-Z a-z 0-9 . _ -`, starting and ending with a letter or digit.
    public init?(rawValue: String) {
        let bytes = Array(rawValue.utf8)
        guard (3...255).contains(bytes.count), let first = bytes.first, let last = bytes.last,
            Self.isAlphanumeric(first), Self.isAlphanumeric(last),
            bytes.allSatisfy({ Self.isAlphanumeric($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") })
        else { return nil }
        self.rawValue = rawValue
    }

    public var description: String { rawValue }

    /// Whether the name can be the first label of a virtual-hosted host name (`BUCKET.s3.REGION.amazonaws.com`).
    ///
    /// It must follow today's naming rules (3-63 lowercase letters, digits, `-` and `.`, labels that
    /// start and end with a letter or digit, not an IP address). Over TLS a name with a dot is not
    /// virtual-hostable either: the certificate `*.s3.REGION.amazonaws.com` covers one label only
    /// (botocore's rule too).
    public func isVirtualHostable(overTLS: Bool) -> Bool {
        let bytes = Array(rawValue.utf8)
        guard bytes.count <= 63 else { return false }
        if overTLS && bytes.contains(UInt8(ascii: ".")) { return false }
        let labels = rawValue.split(separator: ".", omittingEmptySubsequences: false)
        for label in labels {
            guard let first = label.utf8.first, let last = label.utf8.last,
                Self.isLowerAlphanumeric(first), Self.isLowerAlphanumeric(last),
                label.utf8.allSatisfy({ Self.isLowerAlphanumeric($0) || $0 == UInt8(ascii: "-") })
            else { return false }
        }
        let looksLikeIPAddress = labels.count == 4 && labels.allSatisfy { UInt8($0) != nil }
        return !looksLikeIPAddress
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        isLowerAlphanumeric(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }

    private static func isLowerAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}
