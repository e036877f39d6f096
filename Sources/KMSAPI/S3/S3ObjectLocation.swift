import Foundation

/// A plan location in S3: an object `s3://BUCKET/KEY.json` or a prefix `s3://BUCKET/PREFIX/`.
///
/// Parsing is pure and strict: text that looks like an S3 location but is not one is an error
/// with `s3.invalid-location`, never a local path by accident. The key is taken literally (no
/// percent-decoding), as the AWS CLI takes `s3://` arguments.
public struct S3ObjectLocation: Sendable, Hashable, CustomStringConvertible {
    /// What a location names.
    public enum Kind: String, Sendable, Hashable {
        /// One object; its key ends with `.json`.
        case object
        /// Every object under a prefix; the prefix ends with `/` (or is empty: the whole bucket).
        case prefix
    }

    /// The URL scheme of S3 locations.
    public static let scheme = "s3://"
    /// The longest key S3 accepts, in UTF-8 bytes.
    public static let maximumKeyBytes = 1024

    /// The bucket.
    public let bucket: S3BucketName
    /// The object key, or the prefix (ending in `/`, or empty).
    public let key: String
    /// Whether the location names one object or a prefix.
    public let kind: Kind

    /// Whether the text is meant as an S3 location (it starts with `s3:`, in any case), so a caller
    /// sends it here, and its errors, rather than to the file system.
    public static func isS3Location(_ text: String) -> Bool {
        text.prefix(3).lowercased() == "s3:"
    }

    /// Parses `s3://BUCKET/KEY.json` or `s3://BUCKET/PREFIX/`.
    /// - Throws: `KMSError` with `s3.invalid-location`, naming what is wrong: another scheme, a
    ///   missing `//`, no bucket, a bad bucket name, no key, a key that is neither `.json` nor a
    ///   prefix ending in `/`, or a key with empty, `.` or `..` segments.
    public init(parsing text: String) throws {
        guard text.hasPrefix(Self.scheme) else {
            let reason = Self.isS3Location(text)
                ? "it must start with exactly 's3://'" : "it does not start with 's3://'"
            throw Self.invalid(text, "\(reason); write s3://BUCKET/KEY.json or s3://BUCKET/PREFIX/")
        }
        let rest = text.dropFirst(Self.scheme.count)
        guard let slash = rest.firstIndex(of: "/") else {
            if rest.isEmpty { throw Self.invalid(text, "it names no bucket; write s3://BUCKET/KEY.json") }
            throw Self.invalid(text, "it names no key; write s3://\(rest)/KEY.json, or s3://\(rest)/ for the whole bucket")
        }
        let bucketText = String(rest[..<slash])
        guard !bucketText.isEmpty else { throw Self.invalid(text, "it names no bucket; write s3://BUCKET/KEY.json") }
        guard let bucket = S3BucketName(rawValue: bucketText) else {
            throw Self.invalid(
                text, "'\(bucketText)' is not a valid bucket name (3-63 lowercase letters, digits, '.' and '-', starting and ending with a letter or digit)")
        }
        let key = String(rest[rest.index(after: slash)...])
        try Self.checkKey(key, in: text)
        self.bucket = bucket
        self.key = key
        self.kind = key.isEmpty || key.hasSuffix("/") ? .prefix : .object
    }

    /// Creates the location of an object or prefix directly (no checks beyond the bucket name's type).
    public init(bucket: S3BucketName, key: String) {
        self.bucket = bucket
        self.key = key
        self.kind = key.isEmpty || key.hasSuffix("/") ? .prefix : .object
    }

    /// `s3://BUCKET/KEY`, as parsed.
    public var description: String { "\(Self.scheme)\(bucket.rawValue)/\(key)" }

    /// The location of another object in the same bucket.
    public func replacingKey(with key: String) -> S3ObjectLocation {
        S3ObjectLocation(bucket: bucket, key: key)
    }

    private static func checkKey(_ key: String, in text: String) throws {
        if key.isEmpty { return }
        guard key.utf8.count <= maximumKeyBytes else {
            throw invalid(text, "its key is longer than S3's \(maximumKeyBytes) bytes")
        }
        if key.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            throw invalid(text, "its key contains a control character")
        }
        var segments = key.split(separator: "/", omittingEmptySubsequences: false)
        if key.hasSuffix("/") { segments.removeLast() }
        if segments.contains(where: \.isEmpty) {
            throw invalid(text, "its key has an empty segment ('//' or a leading '/'); remove the extra '/'")
        }
        if segments.contains(where: { $0 == "." || $0 == ".." }) {
            throw invalid(text, "its key has a '.' or '..' segment, which S3 keeps but HTTP clients rewrite")
        }
        if !key.hasSuffix("/") && !key.hasSuffix(".json") {
            throw invalid(text, "its key is neither a plan object ending in '.json' nor a prefix ending in '/'")
        }
    }

    private static func invalid(_ text: String, _ reason: String) -> KMSError {
        KMSError(code: .s3InvalidLocation, message: "The S3 location '\(text)' is not valid: \(reason).")
    }
}
