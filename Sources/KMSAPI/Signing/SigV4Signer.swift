import Foundation
import Synchronization

/// Signs HTTP requests with AWS Signature Version 4 (header signing, payload hashed).
///
/// The signer is pure apart from a one-entry cache of the derived signing key: the time is a
/// parameter, and the result depends only on the request, the credentials and that time.
public struct SigV4Signer: Sendable {
    /// The service name in the credential scope, for example `kms`.
    public let service: String
    /// The region in the credential scope, for example `us-east-1`.
    public let region: String
    /// How the request path enters the canonical request (`.asSent` for S3).
    public let pathCanonicalization: SigV4.PathCanonicalization
    private let keyCache = SigningKeyCache()

    /// Creates a signer for one service in one region.
    public init(service: String, region: String, pathCanonicalization: SigV4.PathCanonicalization = .normalizedAndEncodedAgain) {
        self.service = service
        self.region = region
        self.pathCanonicalization = pathCanonicalization
    }

    /// Returns `request` with `Host` (if absent), `X-Amz-Date`, `X-Amz-Security-Token` (for
    /// temporary credentials) and `Authorization` added.
    ///
    /// Every header already in `request.headers` is signed, so add headers that a transport may
    /// change later (`User-Agent`, `Content-Length`, ...) only after signing. A request that
    /// carries `x-amz-content-sha256` (S3) is signed with that value as its payload hash, as
    /// botocore does, so the header and the signature always agree. Any earlier
    /// `Authorization` header is dropped first, so a request can be signed again for a retry.
    public func sign(_ request: HTTPRequest, credentials: Credentials, date: Date) -> HTTPRequest {
        var signed = request
        signed.headers.remove("Authorization")
        if signed.headers["Host"] == nil, let host = Self.hostHeaderValue(for: request.url) {
            signed.headers.add("Host", host)
        }
        let amzDate = SigV4.amzDate(date)
        let dateStamp = String(amzDate.prefix(8))
        signed.headers.replace("X-Amz-Date", with: amzDate)
        if let token = credentials.sessionToken {
            signed.headers.replace("X-Amz-Security-Token", with: token)
        }

        let signedHeaders = SigV4.signedHeaderNames(of: signed.headers)
        let canonicalRequest = SigV4.canonicalRequest(
            method: signed.method,
            path: signed.url.path(percentEncoded: true),
            query: signed.url.query(percentEncoded: true),
            headers: signed.headers,
            signedHeaders: signedHeaders,
            payloadHash: signed.headers["x-amz-content-sha256"] ?? SHA256.hash(signed.body).hexString,
            pathCanonicalization: pathCanonicalization)
        let scope = SigV4.scope(dateStamp: dateStamp, region: region, service: service)
        let stringToSign = SigV4.stringToSign(amzDate: amzDate, scope: scope, canonicalRequest: canonicalRequest)
        let key = keyCache.key(secretAccessKey: credentials.secretAccessKey, dateStamp: dateStamp, region: region, service: service)
        let signature = SigV4.signature(signingKey: key, stringToSign: stringToSign)
        signed.headers.add(
            "Authorization",
            SigV4.authorization(accessKeyID: credentials.accessKeyID, scope: scope, signedHeaders: signedHeaders, signature: signature))
        return signed
    }

    /// The `Host` header for a URL: its host, with the port only when it is not the scheme's default.
    public static func hostHeaderValue(for url: URL) -> String? {
        guard var host = url.host(percentEncoded: true), !host.isEmpty else { return nil }
        if host.contains(":") && !host.hasPrefix("[") {
            host = "[\(host)]"
        }
        guard let port = url.port else { return host }
        let defaultPort: Int? = switch url.scheme?.lowercased() {
        case "http": 80
        case "https": 443
        default: nil
        }
        return port == defaultPort ? host : "\(host):\(port)"
    }
}

/// Remembers the last derived signing key, which changes only with the secret, the day, the region or the service.
// @unchecked is not needed: the only stored property is a Mutex, which is Sendable.
final class SigningKeyCache: Sendable {
    private struct Entry {
        var secretAccessKey: String
        var dateStamp: String
        var region: String
        var service: String
        var key: [UInt8]
    }

    private let entry = Mutex<Entry?>(nil)

    /// Returns the signing key for these inputs, deriving and remembering it when they changed.
    func key(secretAccessKey: String, dateStamp: String, region: String, service: String) -> [UInt8] {
        let cached: [UInt8]? = entry.withLock { entry in
            guard let entry, entry.secretAccessKey == secretAccessKey, entry.dateStamp == dateStamp,
                entry.region == region, entry.service == service
            else { return nil }
            return entry.key
        }
        if let cached { return cached }
        let key = SigV4.signingKey(secretAccessKey: secretAccessKey, dateStamp: dateStamp, region: region, service: service)
        entry.withLock {
            $0 = Entry(secretAccessKey: secretAccessKey, dateStamp: dateStamp, region: region, service: service, key: key)
        }
        return key
    }
}
