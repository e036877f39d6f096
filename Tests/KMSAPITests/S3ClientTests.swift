import Foundation
import KMSAPI
import Synchronization
import Testing

struct S3ClientTests {
    private typealias Factory = S3ClientFactory

    private func signedHeaderNames(_ request: HTTPRequest) -> Set<String> {
        let authorization = request.headers["Authorization"] ?? ""
        guard let start = authorization.range(of: "SignedHeaders=")?.upperBound,
            let end = authorization[start...].firstIndex(of: ",")
        else { return [] }
        return Set(authorization[start..<end].split(separator: ";").map(String.init))
    }

    // MARK: - Signing

    /// AWS's "GET Object" example of SigV4 for S3 (botocore's S3SigV4Auth gives the same signature).
    @Test func signsAWSsGetObjectExample() throws {
        let signer = SigV4Signer(service: "s3", region: "us-east-1", pathCanonicalization: .asSent)
        let request = HTTPRequest(
            method: "GET", url: try #require(URL(string: "https://examplebucket.s3.amazonaws.com/test.txt")),
            headers: HTTPHeaders([
                ("Range", "bytes=0-9"),
                ("x-amz-content-sha256", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            ]))
        let signed = signer.sign(request, credentials: Factory.exampleCredentials, date: Factory.signingDate)
        #expect(
            signed.headers["Authorization"]
                == "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
    }

    /// S3 signs the path as sent; every other service encodes the wire path once more.
    @Test func signsS3PathsWithoutEncodingThemAgain() {
        let path = "/my-bucket/a%20b/./c.json"
        func uri(_ rule: SigV4.PathCanonicalization) -> Substring {
            SigV4.canonicalRequest(
                method: "GET", path: path, query: nil, headers: HTTPHeaders(), signedHeaders: [], payloadHash: "h",
                pathCanonicalization: rule
            ).split(separator: "\n", omittingEmptySubsequences: false)[1]
        }
        #expect(uri(.asSent) == "/my-bucket/a%20b/./c.json")
        #expect(uri(.normalizedAndEncodedAgain) == "/my-bucket/a%2520b/c.json")
    }

    /// A key with a space, a non-ASCII letter, `%` and `+`: encoded once per segment, signed as sent
    /// (the expected signature is botocore's for the same request).
    @Test func encodesKeysOnceAndSignsThePathAsSent() async throws {
        let transport = ScriptedTransport([.success(HTTPResponse(status: 200, headers: HTTPHeaders([("ETag", "\"e1\"")])))])
        let client = try Factory.makeClient(
            transport: transport, endpoint: "http://127.0.0.1:5000", region: "us-east-1", addressingStyle: .path)
        let result = try await client.putObject(
            bucket: try Factory.bucket("my-bucket"), key: "plans/a b/ü%x+.json", body: Data(#"{"a":1}"#.utf8),
            condition: .objectAbsent)
        #expect(result.etag == S3ETag(rawValue: "\"e1\""))
        let sent = try #require(transport.requests.first)
        #expect(sent.url.absoluteString == "http://127.0.0.1:5000/my-bucket/plans/a%20b/%C3%BC%25x%2B.json")
        #expect(sent.headers["x-amz-content-sha256"] == "015abd7f5cc57a2dd94b7590f04ad8084273905ee33ec5cebeae62276a97f862")
        #expect(sent.headers["If-None-Match"] == "*")
        #expect(sent.headers["Authorization"]?.hasSuffix(
            "SignedHeaders=host;if-none-match;x-amz-content-sha256;x-amz-date, Signature=23afff5ae77406ad2d0a8915a95d95814792eb3accc4f3714880a57ea5d58c82") == true)
        #expect(sent.headers["User-Agent"] == "decommission-tests")
    }

    @Test func signsWithTheSessionTokenAndTheBucketsRegion() async throws {
        let transport = ScriptedTransport([.success(HTTPResponse(status: 200))])
        let client = try Factory.makeClient(
            transport: transport, credentials: Credentials(accessKeyID: "AKID", secretAccessKey: "SECRET", sessionToken: "TOKEN"))
        _ = try await client.headObject(bucket: try Factory.bucket("plans-bucket"), key: "p.json")
        let sent = try #require(transport.requests.first)
        #expect(sent.method == "HEAD")
        #expect(sent.headers["X-Amz-Security-Token"] == "TOKEN")
        #expect(sent.headers["Authorization"]?.contains("/20130524/eu-west-1/s3/aws4_request") == true)
        #expect(sent.headers["Authorization"]?.contains("x-amz-security-token") == true)
    }

    // MARK: - Addressing

    @Test(arguments: [
        // AWS endpoint, DNS-compatible name: virtual-hosted.
        ("https://s3.eu-west-1.amazonaws.com", S3AddressingStyle.virtualHostedWhenPossible, "plans-bucket",
         "https://plans-bucket.s3.eu-west-1.amazonaws.com/dir/p.json"),
        // A dot breaks the wildcard certificate over TLS: path-style.
        ("https://s3.eu-west-1.amazonaws.com", .virtualHostedWhenPossible, "my.plans",
         "https://s3.eu-west-1.amazonaws.com/my.plans/dir/p.json"),
        // A legacy name with capitals or underscores is not a DNS label: path-style.
        ("https://s3.us-east-1.amazonaws.com", .virtualHostedWhenPossible, "Legacy_Bucket",
         "https://s3.us-east-1.amazonaws.com/Legacy_Bucket/dir/p.json"),
        // An override (moto) is path-style, keeping its port and any base path.
        ("http://127.0.0.1:5000/base/", .path, "plans-bucket", "http://127.0.0.1:5000/base/plans-bucket/dir/p.json"),
    ])
    func addressesBuckets(endpoint: String, style: S3AddressingStyle, bucket: String, expected: String) async throws {
        let transport = ScriptedTransport([.success(HTTPResponse(status: 200))])
        let client = try Factory.makeClient(transport: transport, endpoint: endpoint, addressingStyle: style)
        _ = try await client.getObject(bucket: try Factory.bucket(bucket), key: "dir/p.json")
        let sent = try #require(transport.requests.first)
        #expect(sent.url.absoluteString == expected)
        #expect(sent.headers["Host"] == sent.url.host.map { host in sent.url.port.map { "\(host):\($0)" } ?? host })
    }

    @Test func choosesTheStyleByTheEndpointsSource() {
        #expect(S3AddressingStyle.forEndpoint(source: "default") == .virtualHostedWhenPossible)
        #expect(S3AddressingStyle.forEndpoint(source: "AWS_ENDPOINT_URL_S3") == .path)
    }

    @Test func refusesKeysThatHTTPClientsWouldRewrite() async throws {
        let transport = ScriptedTransport([])
        let client = try Factory.makeClient(transport: transport)
        let error = await #expect(throws: KMSError.self) {
            _ = try await client.getObject(bucket: try Factory.bucket("plans-bucket"), key: "a/../b.json")
        }
        #expect(error?.code == .invalidRequest)
        #expect(transport.requests.isEmpty)
    }

    // MARK: - Conditional writes and encryption

    @Test func sendsIfMatchAndEncryptionHeadersOnPut() async throws {
        let transport = ScriptedTransport([.success(HTTPResponse(status: 200, headers: HTTPHeaders([("ETag", "\"new\"")])))])
        let client = try Factory.makeClient(transport: transport)
        let result = try await client.putObject(
            bucket: try Factory.bucket("plans-bucket"), key: "p.json", body: Data("{}".utf8), contentType: "application/json",
            condition: .etagMatches(S3ETag(rawValue: "\"old\"")), encryption: .kms(keyID: "alias/plans"))
        #expect(result.etag?.rawValue == "\"new\"")
        let sent = try #require(transport.requests.first)
        #expect(sent.method == "PUT")
        #expect(sent.headers["If-Match"] == "\"old\"")
        #expect(sent.headers["If-None-Match"] == nil)
        #expect(sent.headers["Content-Type"] == "application/json")
        #expect(sent.headers["x-amz-server-side-encryption"] == "aws:kms")
        #expect(sent.headers["x-amz-server-side-encryption-aws-kms-key-id"] == "alias/plans")
        #expect(signedHeaderNames(sent).isSuperset(of: ["if-match", "content-type", "x-amz-server-side-encryption-aws-kms-key-id"]))
    }

    @Test func deletesWithIfMatch() async throws {
        let transport = ScriptedTransport([.success(HTTPResponse(status: 204))])
        let client = try Factory.makeClient(transport: transport)
        _ = try await client.deleteObject(bucket: try Factory.bucket("plans-bucket"), key: "p.lock", ifMatch: S3ETag(rawValue: "\"l1\""))
        let sent = try #require(transport.requests.first)
        #expect(sent.method == "DELETE")
        #expect(sent.headers["If-Match"] == "\"l1\"")
    }

    @Test(arguments: [
        (412, "PreconditionFailed", KMSError.Code.s3PreconditionFailed),
        (409, "ConditionalRequestConflict", .s3ConditionalRequestConflict),
        (404, "NoSuchBucket", .s3NoSuchBucket),
        (403, "AccessDenied", .accessDenied),
        (301, "PermanentRedirect", .s3WrongRegion),
    ])
    func mapsPutErrorsWithoutRetrying(status: Int, name: String, code: KMSError.Code) async throws {
        let transport = ScriptedTransport([.success(Factory.xmlError(name, status: status))])
        let client = try Factory.makeClient(transport: transport)
        let error = await #expect(throws: KMSError.self) {
            _ = try await client.putObject(
                bucket: try Factory.bucket("plans-bucket"), key: "p.lock", body: Data("{}".utf8), condition: .objectAbsent)
        }
        #expect(error?.code == code)
        #expect(error?.awsErrorType == name)
        #expect(error?.requestID == "s3-req")
        #expect(error?.message.hasPrefix("PutObject failed with \(name)") == true)
        #expect(transport.requests.count == 1)
    }

    /// A lost answer to a put may have been applied: it is given back, never resent (an
    /// `If-None-Match: *` resend would see its own object and report a race it won).
    @Test func givesAnAmbiguousPutBackToTheCaller() async throws {
        let transport = ScriptedTransport([
            .failure(KMSError(code: .connectionLost, message: "Lost.", retryability: .transient)),
            .success(HTTPResponse(status: 200)),
        ])
        let client = try Factory.makeClient(transport: transport)
        let error = await #expect(throws: KMSError.self) {
            _ = try await client.putObject(bucket: try Factory.bucket("plans-bucket"), key: "p.lock", body: Data(), condition: .objectAbsent)
        }
        #expect(error?.code == .connectionLost)
        #expect(transport.requests.count == 1)
    }

    @Test func retriesAReadAfterSlowDown() async throws {
        let transport = ScriptedTransport([
            .success(Factory.xmlError("SlowDown", status: 503)),
            .success(HTTPResponse(status: 200, headers: HTTPHeaders([("ETag", "\"e\"")]), body: Data("plan".utf8))),
        ])
        let events = Mutex<[KMSCallEvent]>([])
        let client = try Factory.makeClient(transport: transport, observer: { event in events.withLock { $0.append(event) } })
        let object = try await client.getObject(bucket: try Factory.bucket("plans-bucket"), key: "p.json")
        #expect(object.body == Data("plan".utf8))
        #expect(object.etag?.rawValue == "\"e\"")
        #expect(transport.requests.count == 2)
        // The `--verbose` lines: `s3: GetObject attempt 1 ... SlowDown, retrying`, then attempt 2.
        let seen = events.withLock { $0 }
        #expect(seen.map(\.service) == ["s3", "s3"])
        #expect(seen.map(\.operation) == ["GetObject", "GetObject"])
        #expect(seen.map(\.willRetry) == [true, false])
        #expect(seen.first?.errorType == "SlowDown")
    }

    // MARK: - Reads

    @Test func readsObjectMetadataFromHeaders() async throws {
        let headers = HTTPHeaders([
            ("ETag", "\"abc\""), ("Content-Length", "42"), ("Content-Type", "application/json"),
            ("Last-Modified", "Fri, 24 May 2013 00:00:00 GMT"), ("x-amz-server-side-encryption", "aws:kms"),
            ("x-amz-server-side-encryption-aws-kms-key-id", "arn:aws:kms:eu-west-1:111122223333:key/k"),
            ("x-amz-version-id", "v1"), ("x-amz-request-id", "head-1"),
        ])
        let transport = ScriptedTransport([.success(HTTPResponse(status: 200, headers: headers))])
        let client = try Factory.makeClient(transport: transport)
        let metadata = try await client.headObject(bucket: try Factory.bucket("plans-bucket"), key: "p.json")
        #expect(metadata == S3ObjectMetadata(
            etag: S3ETag(rawValue: "\"abc\""), contentLength: 42, contentType: "application/json",
            lastModified: Factory.signingDate, versionID: "v1", serverSideEncryption: "aws:kms",
            sseKMSKeyID: "arn:aws:kms:eu-west-1:111122223333:key/k", requestID: "head-1"))
    }

    @Test func namesABodylessHead404NotFound() async throws {
        let transport = ScriptedTransport([.success(HTTPResponse(status: 404, headers: HTTPHeaders([("x-amz-request-id", "h404")])))])
        let client = try Factory.makeClient(transport: transport)
        let error = await #expect(throws: KMSError.self) {
            _ = try await client.headObject(bucket: try Factory.bucket("plans-bucket"), key: "missing.json")
        }
        #expect(error?.code == .s3NotFound)
        #expect(error?.awsErrorType == "NotFound")
        #expect(error?.requestID == "h404")
    }

    @Test func mapsNoSuchKeyOnGet() async throws {
        let transport = ScriptedTransport([.success(Factory.xmlError("NoSuchKey", status: 404))])
        let client = try Factory.makeClient(transport: transport)
        let error = await #expect(throws: KMSError.self) {
            _ = try await client.getObject(bucket: try Factory.bucket("plans-bucket"), key: "missing.json")
        }
        #expect(error?.code == .s3NoSuchKey)
    }

    // MARK: - Listing

    private func listAnswer(_ keys: [String], next: String?) -> HTTPResponse {
        let contents = keys.map {
            "<Contents><Key>\($0)</Key><LastModified>2013-05-24T00:00:00.000Z</LastModified><ETag>&quot;e-\($0)&quot;</ETag><Size>7</Size></Contents>"
        }.joined()
        let truncation = next.map { "<IsTruncated>true</IsTruncated><NextContinuationToken>\($0)</NextContinuationToken>" }
            ?? "<IsTruncated>false</IsTruncated>"
        let body = "<?xml version=\"1.0\"?><ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>b</Name><Prefix>team%2F</Prefix><EncodingType>url</EncodingType>\(truncation)\(contents)</ListBucketResult>"
        return HTTPResponse(status: 200, body: Data(body.utf8))
    }

    @Test func listsEveryPageAndDecodesKeys() async throws {
        let transport = ScriptedTransport([
            .success(listAnswer(["team%2Fa+b.json", "team%2F%C3%BC.json"], next: "tok/en+1=")),
            .success(listAnswer(["team%2Fz.json"], next: nil)),
        ])
        let client = try Factory.makeClient(transport: transport)
        let objects = try await client.listObjects(bucket: try Factory.bucket("plans-bucket"), prefix: "team/")
        #expect(objects.map(\.key) == ["team/a b.json", "team/ü.json", "team/z.json"])
        #expect(objects.first?.etag?.rawValue == "\"e-team%2Fa+b.json\"")
        #expect(objects.first?.size == 7)
        #expect(objects.first?.lastModified == Factory.signingDate)
        let urls = transport.requests.map(\.url.absoluteString)
        #expect(urls == [
            "https://plans-bucket.s3.eu-west-1.amazonaws.com/?list-type=2&encoding-type=url&prefix=team%2F",
            "https://plans-bucket.s3.eu-west-1.amazonaws.com/?list-type=2&encoding-type=url&prefix=team%2F&continuation-token=tok%2Fen%2B1%3D",
        ])
    }

    @Test func stopsAListingThatRepeatsItsToken() async throws {
        let transport = ScriptedTransport { _, _ in self.listAnswer(["a.json"], next: "same") }
        let client = try Factory.makeClient(transport: transport)
        let error = await #expect(throws: KMSError.self) {
            _ = try await client.listObjects(bucket: try Factory.bucket("plans-bucket"))
        }
        #expect(error?.code == .invalidResponse)
        #expect(transport.requests.count == 2)
    }

    @Test func rejectsAnAnswerThatIsNotAListing() async throws {
        let transport = ScriptedTransport([.success(HTTPResponse(status: 200, body: Data("<html/>".utf8)))])
        let client = try Factory.makeClient(transport: transport)
        let error = await #expect(throws: KMSError.self) {
            _ = try await client.listObjectsPage(bucket: try Factory.bucket("plans-bucket"))
        }
        #expect(error?.code == .invalidResponse)
    }
}
