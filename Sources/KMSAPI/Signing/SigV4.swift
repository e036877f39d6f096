import Foundation

/// The building blocks of AWS Signature Version 4, shared by `SigV4Signer` and `SigV4Verifier`.
///
/// Paths follow the rules for services other than S3 by default: dot segments and repeated slashes
/// are removed, and the path as sent on the wire (already percent-encoded) is encoded once more.
/// S3 signs the wire path exactly as sent (`PathCanonicalization.asSent`).
public enum SigV4 {
    /// How the canonical request writes the request path.
    public enum PathCanonicalization: Sendable, Equatable {
        /// Every service but S3: normalise the wire path, then percent-encode it again.
        case normalizedAndEncodedAgain
        /// S3: the wire path as sent, already encoded once per segment, neither normalised nor re-encoded.
        case asSent
    }

    /// The algorithm name that starts the string to sign and the `Authorization` header.
    public static let algorithm = "AWS4-HMAC-SHA256"
    /// The last element of every credential scope.
    public static let scopeTerminator = "aws4_request"

    /// Builds the canonical request from the wire path and query and the named headers.
    ///
    /// - Parameters:
    ///   - path: the request path as sent on the wire (percent-encoded), for example `/`.
    ///   - query: the query string as sent on the wire, without `?`, or nil.
    ///   - headers: the request's headers; only those named in `signedHeaders` are used.
    ///   - signedHeaders: lowercase header names in the order they are listed in `SignedHeaders`.
    ///   - payloadHash: the lowercase hex SHA-256 of the body.
    ///   - pathCanonicalization: the path rule; S3 uses `.asSent`.
    public static func canonicalRequest(
        method: String, path: String, query: String?, headers: HTTPHeaders,
        signedHeaders: [String], payloadHash: String,
        pathCanonicalization: PathCanonicalization = .normalizedAndEncodedAgain
    ) -> String {
        var valuesByName: [String: [String]] = [:]
        let wanted = Set(signedHeaders)
        for field in headers {
            let name = field.name.lowercased()
            if wanted.contains(name) {
                valuesByName[name, default: []].append(canonicalHeaderValue(field.value))
            }
        }
        var result = method
        result.reserveCapacity(256 + payloadHash.utf8.count)
        result += "\n"
        switch pathCanonicalization {
        case .normalizedAndEncodedAgain: result += canonicalURI(path)
        case .asSent: result += path.isEmpty ? "/" : path
        }
        result += "\n"
        result += canonicalQuery(query)
        result += "\n"
        for name in signedHeaders {
            result += name
            result += ":"
            result += valuesByName[name]?.joined(separator: ",") ?? ""
            result += "\n"
        }
        result += "\n"
        result += signedHeaders.joined(separator: ";")
        result += "\n"
        result += payloadHash
        return result
    }

    /// Returns the names of every header to sign: lowercase, sorted, without duplicates or `authorization`.
    public static func signedHeaderNames(of headers: HTTPHeaders) -> [String] {
        var names = Set<String>()
        for field in headers {
            names.insert(field.name.lowercased())
        }
        names.remove("authorization")
        return names.sorted()
    }

    /// Trims a header value and collapses each inner run of whitespace (including folded lines) to one space.
    public static func canonicalHeaderValue(_ value: String) -> String {
        var output = [UInt8]()
        output.reserveCapacity(value.utf8.count)
        var pendingSpace = false
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                pendingSpace = !output.isEmpty
            default:
                if pendingSpace {
                    output.append(UInt8(ascii: " "))
                    pendingSpace = false
                }
                output.append(byte)
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Returns the credential scope `yyyymmdd/region/service/aws4_request`.
    public static func scope(dateStamp: String, region: String, service: String) -> String {
        "\(dateStamp)/\(region)/\(service)/\(scopeTerminator)"
    }

    /// Builds the string to sign from the request time, the scope and the canonical request.
    public static func stringToSign(amzDate: String, scope: String, canonicalRequest: String) -> String {
        "\(algorithm)\n\(amzDate)\n\(scope)\n\(SHA256.hash(canonicalRequest).hexString)"
    }

    /// Derives the signing key from the secret, the date stamp (`yyyymmdd`), the region and the service.
    public static func signingKey(secretAccessKey: String, dateStamp: String, region: String, service: String) -> [UInt8] {
        let dateKey = HMACSHA256.authenticate(dateStamp, key: Array("AWS4\(secretAccessKey)".utf8))
        let regionKey = HMACSHA256.authenticate(region, key: dateKey)
        let serviceKey = HMACSHA256.authenticate(service, key: regionKey)
        return HMACSHA256.authenticate(scopeTerminator, key: serviceKey)
    }

    /// Returns the lowercase hex signature of the string to sign.
    public static func signature(signingKey: [UInt8], stringToSign: String) -> String {
        HMACSHA256.authenticate(stringToSign, key: signingKey).hexString
    }

    /// Builds the `Authorization` header value.
    public static func authorization(accessKeyID: String, scope: String, signedHeaders: [String], signature: String) -> String {
        "\(algorithm) Credential=\(accessKeyID)/\(scope), SignedHeaders=\(signedHeaders.joined(separator: ";")), Signature=\(signature)"
    }

    /// Compares two strings in time that depends only on their lengths.
    static func constantTimeEquals(_ lhs: String, _ rhs: String) -> Bool {
        let left = Array(lhs.utf8), right = Array(rhs.utf8)
        guard left.count == right.count else { return false }
        var difference: UInt8 = 0
        for index in left.indices {
            difference |= left[index] ^ right[index]
        }
        return difference == 0
    }
}
