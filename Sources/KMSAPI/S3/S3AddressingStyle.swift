import Foundation

/// How a bucket is named in a request: in the host name (virtual-hosted) or in the path.
public enum S3AddressingStyle: String, Sendable, Equatable {
    /// `https://BUCKET.s3.REGION.amazonaws.com/KEY` when the bucket name allows it, else path-style:
    /// the default for AWS's own endpoints.
    case virtualHostedWhenPossible
    /// `ENDPOINT/BUCKET/KEY`: for endpoint overrides (moto, MinIO, a VPC endpoint by URL).
    case path

    /// The style for an endpoint from `AWSConfigResolver.endpoint(for: .s3 ...)`: virtual-hosted on
    /// the public endpoint (source `default`), path-style against any configured override.
    public static func forEndpoint(source: String) -> S3AddressingStyle {
        source == "default" ? .virtualHostedWhenPossible : .path
    }

    /// Builds the URL of a bucket (an empty key) or of an object in it.
    ///
    /// The key is percent-encoded once per segment with `/` kept (S3's rule, also what SigV4 signs
    /// for S3); query names and values are encoded with `uriEncode`.
    /// - Throws: `KMSError` with `kms.invalid-request` for a key with `.` or `..` segments, which
    ///   HTTP stacks (libcurl) collapse before sending, so the request would name another object.
    public func url(endpoint: URL, bucket: S3BucketName, key: String, query: [(String, String)] = []) throws -> URL {
        let segments = key.split(separator: "/", omittingEmptySubsequences: false)
        if segments.contains(where: { $0 == "." || $0 == ".." }) {
            throw KMSError(
                code: .invalidRequest,
                message: "The S3 key '\(key)' has a '.' or '..' segment, which HTTP clients rewrite; choose another key.")
        }
        guard var components = URLComponents(url: endpoint, resolvingAgainstBaseURL: false), let host = components.host
        else {
            throw KMSError(code: .invalidConfiguration, message: "The S3 endpoint '\(endpoint)' has no host.")
        }
        var base = components.percentEncodedPath
        while base.hasSuffix("/") { base.removeLast() }
        let encodedKey = SigV4.uriEncode(Array(key.utf8), keepingSlash: true)
        let isHTTPS = components.scheme?.lowercased() == "https"
        if self == .virtualHostedWhenPossible && bucket.isVirtualHostable(overTLS: isHTTPS) {
            components.host = "\(bucket.rawValue).\(host)"
            components.percentEncodedPath = "\(base)/\(encodedKey)"
        } else {
            let bucketPath = "\(base)/\(SigV4.uriEncode(Array(bucket.rawValue.utf8), keepingSlash: false))"
            components.percentEncodedPath = key.isEmpty ? bucketPath : "\(bucketPath)/\(encodedKey)"
        }
        components.percentEncodedQuery = query.isEmpty ? nil : query.map { name, value in
            "\(SigV4.uriEncode(Array(name.utf8), keepingSlash: false))=\(SigV4.uriEncode(Array(value.utf8), keepingSlash: false))"
        }.joined(separator: "&")
        guard let url = components.url else {
            throw KMSError(code: .invalidRequest, message: "No URL could be built for S3 bucket '\(bucket)' and key '\(key)'.")
        }
        return url
    }
}
