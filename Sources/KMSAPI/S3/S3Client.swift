import Foundation

/// Reads and writes S3 objects (REST-XML, SigV4 service `s3`) through the shared request pipeline.
///
/// Pacing, signing, retries with their quota, credentials and the `--verbose` observer are the
/// pipeline's, as for KMS. PutObject and DeleteObject are mutating calls: when their outcome is
/// unknown (a lost answer, a 5xx) they are not resent, and the error goes back to the caller,
/// which reads the object again before deciding. Every read and write result keeps the ETag.
public final class S3Client: Sendable {
    /// The configuration the client was made with.
    public let configuration: S3ClientConfiguration
    /// The shared pacing, signing and retry loop every call goes through.
    public let pipeline: AWSRequestPipeline

    /// Creates a client.
    /// - Parameters:
    ///   - rateLimiter: client-side pacing; S3 operations not in its table are not paced.
    ///   - clock: the clock retries sleep on and attempts are timed with.
    ///   - now: the time of day requests are signed at.
    ///   - random: the jitter source for retry backoff.
    ///   - observer: receives a `KMSCallEvent` (service `s3`) after every attempt.
    public init(
        configuration: S3ClientConfiguration, credentials: any CredentialProvider, transport: any HTTPTransport,
        rateLimiter: RateLimiter, clock: any Clock<Duration>, now: @escaping @Sendable () -> Date,
        random: RandomSource, observer: (@Sendable (KMSCallEvent) -> Void)? = nil
    ) {
        self.configuration = configuration
        self.pipeline = AWSRequestPipeline(
            signingName: "s3", region: configuration.region, retryMode: configuration.retryMode,
            maxAttempts: configuration.maxAttempts, userAgent: configuration.userAgent, credentials: credentials,
            transport: transport, rateLimiter: rateLimiter, clock: clock, now: now, random: random,
            errorDecoder: { response, operation in
                AWSErrorMapping.error(forXML: response, operation: operation, bodylessType: S3Client.bodylessErrorName)
            },
            observer: observer, pathCanonicalization: .asSent)
    }

    // MARK: - Operations

    /// Reads an object's bytes and metadata.
    /// - Throws: `KMSError` with `s3.no-such-key`, `s3.no-such-bucket`, `kms.access-denied`, ...
    public func getObject(bucket: S3BucketName, key: String) async throws -> S3Object {
        let call = try makeCall("GetObject", method: "GET", bucket: bucket, key: key, isMutating: false)
        return try await pipeline.send(call) { response in
            S3Object(body: response.body, metadata: Self.metadata(of: response))
        }.output
    }

    /// Reads an object's metadata (ETag, size, encryption) without its bytes.
    /// - Throws: `KMSError` with `s3.not-found` (HEAD answers carry no body, so a missing key and a
    ///   missing bucket look alike), `kms.access-denied`, ...
    public func headObject(bucket: S3BucketName, key: String) async throws -> S3ObjectMetadata {
        let call = try makeCall("HeadObject", method: "HEAD", bucket: bucket, key: key, isMutating: false)
        return try await pipeline.send(call) { response in Self.metadata(of: response) }.output
    }

    /// Writes an object, optionally only if absent (`If-None-Match: *`) or unchanged (`If-Match`).
    /// - Parameters:
    ///   - condition: `.objectAbsent` to create only, `.etagMatches(etag)` to replace only that version.
    ///   - encryption: the server-side encryption headers to send; nil leaves it to the bucket's default.
    /// - Returns: the new object's ETag.
    /// - Throws: `KMSError` with `s3.precondition-failed` (the condition did not hold),
    ///   `s3.conditional-request-conflict` (another conditional write was in progress),
    ///   `s3.no-such-bucket`, `kms.access-denied`, or a transport code when the outcome is unknown.
    public func putObject(
        bucket: S3BucketName, key: String, body: Data, contentType: String? = nil,
        condition: S3WriteCondition = .none, encryption: S3ServerSideEncryption? = nil
    ) async throws -> S3WriteResult {
        var headers = Self.conditionHeaders(condition)
        if let contentType { headers.append(("Content-Type", contentType)) }
        headers += encryption?.headers ?? []
        let call = try makeCall(
            "PutObject", method: "PUT", bucket: bucket, key: key, headers: headers, body: body, isMutating: true)
        return try await pipeline.send(call) { response in Self.writeResult(of: response) }.output
    }

    /// Deletes an object, optionally only if it is still the version read (`If-Match`).
    ///
    /// S3 answers a delete of a missing key with success (204), as botocore reports it.
    /// - Throws: `KMSError` with `s3.precondition-failed` (the object changed), `s3.no-such-bucket`, ...
    public func deleteObject(bucket: S3BucketName, key: String, ifMatch etag: S3ETag? = nil) async throws -> S3WriteResult {
        let headers = etag.map { Self.conditionHeaders(.etagMatches($0)) } ?? []
        let call = try makeCall("DeleteObject", method: "DELETE", bucket: bucket, key: key, headers: headers, isMutating: true)
        return try await pipeline.send(call) { response in Self.writeResult(of: response) }.output
    }

    /// Lists one page of the objects whose keys start with `prefix`.
    /// - Parameters:
    ///   - delimiter: groups keys into `commonPrefixes` up to the first delimiter after the prefix.
    ///   - continuationToken: the previous page's `nextContinuationToken`.
    ///   - maxKeys: at most this many keys (S3 caps a page at 1,000).
    public func listObjectsPage(
        bucket: S3BucketName, prefix: String = "", delimiter: String? = nil, continuationToken: String? = nil,
        maxKeys: Int? = nil
    ) async throws -> S3ListPage {
        // `encoding-type=url` keeps keys with control characters expressible in XML (botocore asks for it too).
        var query = [("list-type", "2"), ("encoding-type", "url")]
        if !prefix.isEmpty { query.append(("prefix", prefix)) }
        if let delimiter { query.append(("delimiter", delimiter)) }
        if let continuationToken { query.append(("continuation-token", continuationToken)) }
        if let maxKeys { query.append(("max-keys", String(maxKeys))) }
        let call = try makeCall("ListObjectsV2", method: "GET", bucket: bucket, key: "", query: query, isMutating: false)
        return try await pipeline.send(call) { response in try S3ListResponse.page(from: response) }.output
    }

    /// Lists every object whose key starts with `prefix`, following continuation tokens to the last page.
    /// - Parameter pageSize: keys per request; nil takes S3's 1,000.
    /// - Throws: `KMSError` with `kms.invalid-response` when a page repeats its token (it would never end).
    public func listObjects(bucket: S3BucketName, prefix: String = "", pageSize: Int? = nil) async throws -> [S3ObjectSummary] {
        var objects: [S3ObjectSummary] = []
        var token: String?
        var seen: Set<String> = []
        repeat {
            let page = try await listObjectsPage(bucket: bucket, prefix: prefix, continuationToken: token, maxKeys: pageSize)
            objects += page.objects
            token = page.nextContinuationToken
            if let token, !seen.insert(token).inserted {
                throw KMSError(
                    code: .invalidResponse, message: "ListObjectsV2 on bucket '\(bucket)' returned a continuation token twice; the listing would never end.")
            }
        } while token != nil
        return objects
    }

    // MARK: - Requests and answers

    /// The unsigned call: URL by the addressing style, `x-amz-content-sha256` (S3 requires the signed payload hash).
    func makeCall(
        _ operation: OperationName, method: String, bucket: S3BucketName, key: String, query: [(String, String)] = [],
        headers: [(String, String)] = [], body: Data = Data(), isMutating: Bool
    ) throws -> AWSCall {
        let url = try configuration.addressingStyle.url(endpoint: configuration.endpoint, bucket: bucket, key: key, query: query)
        var fields = HTTPHeaders(headers)
        fields.replace("x-amz-content-sha256", with: SHA256.hash(body).hexString)
        return AWSCall(
            operation: operation, request: HTTPRequest(method: method, url: url, headers: fields, body: body),
            isMutating: isMutating)
    }

    static func conditionHeaders(_ condition: S3WriteCondition) -> [(String, String)] {
        switch condition {
        case .none: []
        case .objectAbsent: [("If-None-Match", "*")]
        case .etagMatches(let etag): [("If-Match", etag.rawValue)]
        }
    }

    /// The name S3's error table uses for an answer without a body (HEAD answers never have one).
    @Sendable static func bodylessErrorName(status: Int) -> String? {
        switch status {
        case 404: "NotFound"
        case 403: "Forbidden"
        case 412: "PreconditionFailed"
        default: nil
        }
    }

    static func metadata(of response: HTTPResponse) -> S3ObjectMetadata {
        let headers = response.headers
        return S3ObjectMetadata(
            etag: headers["ETag"].map(S3ETag.init(rawValue:)), contentLength: headers["Content-Length"].flatMap { Int($0) },
            contentType: headers["Content-Type"], lastModified: headers["Last-Modified"].flatMap(HTTPDate.parse),
            versionID: headers["x-amz-version-id"], serverSideEncryption: headers["x-amz-server-side-encryption"],
            sseKMSKeyID: headers["x-amz-server-side-encryption-aws-kms-key-id"],
            requestID: AWSRequestPipeline.requestID(of: response))
    }

    static func writeResult(of response: HTTPResponse) -> S3WriteResult {
        S3WriteResult(
            etag: response.headers["ETag"].map(S3ETag.init(rawValue:)), versionID: response.headers["x-amz-version-id"],
            requestID: AWSRequestPipeline.requestID(of: response))
    }
}
