import Foundation
import Testing

@testable import KMSAPI

/// The AWS SigV4 test suite as stored in `Fixtures/sigv4-suite.json`.
struct SigV4SuiteFile: Decodable {
    struct Common: Decodable {
        var accessKeyID: String
        var secretAccessKey: String
        var region: String
        var service: String
        var amzDate: String
        var date: String
        var credentialScope: String
        var signingKeyHex: String

        enum CodingKeys: String, CodingKey {
            case accessKeyID = "access_key_id"
            case secretAccessKey = "secret_access_key"
            case region, service, date
            case amzDate = "amz_date"
            case credentialScope = "credential_scope"
            case signingKeyHex = "signing_key_hex"
        }
    }

    struct ParsedRequest: Decodable, Sendable {
        var method: String
        var target: String
        var headers: [[String]]
        var body: String

        /// The path part of the request line's target, exactly as written.
        var path: String { String(target.prefix { $0 != "?" }) }
        /// The query part of the target, without `?`, or nil.
        var query: String? {
            target.firstIndex(of: "?").map { String(target[target.index(after: $0)...]) }
        }
        var httpHeaders: HTTPHeaders { HTTPHeaders(headers.map { ($0[0], $0[1]) }) }
    }

    struct Case: Decodable, Sendable, CustomTestStringConvertible {
        var name: String
        var path: String
        var requestParsed: ParsedRequest
        var sessionToken: String?
        var sessionTokenSigned: Bool?
        var canonicalRequest: String
        var stringToSign: String
        var authorization: String
        var signedHeaders: String
        var signature: String
        var testDescription: String { path }

        enum CodingKeys: String, CodingKey {
            case name, path, authorization, signature
            case requestParsed = "request_parsed"
            case sessionToken = "session_token"
            case sessionTokenSigned = "session_token_signed"
            case canonicalRequest = "canonical_request"
            case stringToSign = "string_to_sign"
            case signedHeaders = "signed_headers"
        }

        /// The request as an `HTTPRequest`, or nil when its path is not a valid URL path as written
        /// (a literal space or non-ASCII bytes, which `URL` would percent-encode, so that the wire
        /// path differs). A query may change encoding: it is decoded before it is canonicalised.
        var httpRequest: HTTPRequest? {
            guard let url = URL(string: "https://example.amazonaws.com" + requestParsed.target),
                url.path(percentEncoded: true) == requestParsed.path
            else { return nil }
            return HTTPRequest(
                method: requestParsed.method, url: url, headers: requestParsed.httpHeaders,
                body: Data(requestParsed.body.utf8))
        }
    }

    var common: Common
    var caseCount: Int
    var cases: [Case]

    enum CodingKeys: String, CodingKey {
        case common, cases
        case caseCount = "case_count"
    }

    static func load() throws -> SigV4SuiteFile {
        let url = try #require(Bundle.module.url(forResource: "sigv4-suite", withExtension: "json", subdirectory: "Fixtures"))
        return try JSONDecoder().decode(SigV4SuiteFile.self, from: Data(contentsOf: url))
    }
}

/// The KMS signing vectors in `Fixtures/kms-sigv4.json` (computed with botocore).
struct KMSSigV4VectorFile: Decodable {
    struct Expected: Decodable, Sendable {
        var canonicalRequest: String
        var stringToSign: String
        var signingKeyHex: String
        var signature: String
        var signedHeaders: String
        var authorization: String
        var headersAfterSigning: [[String]]

        enum CodingKeys: String, CodingKey {
            case signature, authorization
            case canonicalRequest = "canonical_request"
            case stringToSign = "string_to_sign"
            case signingKeyHex = "signing_key_hex"
            case signedHeaders = "signed_headers"
            case headersAfterSigning = "headers_after_signing"
        }
    }

    struct Case: Decodable, Sendable, CustomTestStringConvertible {
        var name: String
        var method: String
        var url: String
        var headers: [[String]]
        var body: String
        var bodySHA256: String
        var accessKeyID: String
        var secretAccessKey: String
        var sessionToken: String?
        var region: String
        var service: String
        var amzDate: String
        var expected: Expected
        var testDescription: String { name }

        enum CodingKeys: String, CodingKey {
            case name, method, url, headers, body, region, service, expected
            case bodySHA256 = "body_sha256"
            case accessKeyID = "access_key_id"
            case secretAccessKey = "secret_access_key"
            case sessionToken = "session_token"
            case amzDate = "amz_date"
        }

        var credentials: Credentials {
            Credentials(accessKeyID: accessKeyID, secretAccessKey: secretAccessKey, sessionToken: sessionToken)
        }

        func request() throws -> HTTPRequest {
            HTTPRequest(
                method: method, url: try #require(URL(string: url)),
                headers: HTTPHeaders(headers.map { ($0[0], $0[1]) }), body: Data(body.utf8))
        }

        func date() throws -> Date { try #require(SigV4.date(fromAMZDate: amzDate)) }
    }

    var caseCount: Int
    var cases: [Case]

    enum CodingKeys: String, CodingKey {
        case cases
        case caseCount = "case_count"
    }

    static func load() throws -> KMSSigV4VectorFile {
        let url = try #require(Bundle.module.url(forResource: "kms-sigv4", withExtension: "json", subdirectory: "Fixtures"))
        return try JSONDecoder().decode(KMSSigV4VectorFile.self, from: Data(contentsOf: url))
    }
}

func headerPairs(_ headers: HTTPHeaders) -> [[String]] {
    headers.map { [$0.name, $0.value] }
}

struct SigV4SignerTests {
    // MARK: - AWS test suite

    @Test func suiteFixtureHoldsEveryCase() throws {
        let suite = try SigV4SuiteFile.load()
        #expect(suite.cases.count == 34)
        #expect(suite.caseCount == 34)
        // Only the literal-space and raw UTF-8 paths cannot be written as a URL unchanged.
        let unrepresentable = suite.cases.filter { $0.httpRequest == nil }.map(\.name)
        #expect(unrepresentable.sorted() == ["get-space", "get-utf8"])
    }

    @Test func suiteSigningKeyMatches() throws {
        let common = try SigV4SuiteFile.load().common
        let key = SigV4.signingKey(
            secretAccessKey: common.secretAccessKey, dateStamp: common.date, region: common.region, service: common.service)
        #expect(key.hexString == common.signingKeyHex)
        #expect(SigV4.scope(dateStamp: common.date, region: common.region, service: common.service) == common.credentialScope)
    }

    @Test(arguments: try SigV4SuiteFile.load().cases)
    func buildingBlocksReproduceSuiteCase(_ suiteCase: SigV4SuiteFile.Case) throws {
        let common = try SigV4SuiteFile.load().common
        let request = suiteCase.requestParsed
        var headers = request.httpHeaders
        // get-vanilla-with-session-token: the token is not in the request; the signer adds and signs it.
        if suiteCase.sessionTokenSigned == true, let token = suiteCase.sessionToken, headers["X-Amz-Security-Token"] == nil {
            headers.add("X-Amz-Security-Token", token)
        }
        let signedHeaders = SigV4.signedHeaderNames(of: headers)
        #expect(signedHeaders.joined(separator: ";") == suiteCase.signedHeaders)

        let canonicalRequest = SigV4.canonicalRequest(
            method: request.method, path: request.path, query: request.query, headers: headers,
            signedHeaders: signedHeaders, payloadHash: SHA256.hash(request.body).hexString)
        #expect(canonicalRequest == suiteCase.canonicalRequest)

        let stringToSign = SigV4.stringToSign(
            amzDate: common.amzDate, scope: common.credentialScope, canonicalRequest: canonicalRequest)
        #expect(stringToSign == suiteCase.stringToSign)

        let key = try #require([UInt8](hexString: common.signingKeyHex))
        let signature = SigV4.signature(signingKey: key, stringToSign: stringToSign)
        #expect(signature == suiteCase.signature)
        let authorization = SigV4.authorization(
            accessKeyID: common.accessKeyID, scope: common.credentialScope, signedHeaders: signedHeaders, signature: signature)
        #expect(authorization == suiteCase.authorization)
    }

    @Test(arguments: try SigV4SuiteFile.load().cases.filter { $0.httpRequest != nil })
    func signerReproducesSuiteAuthorization(_ suiteCase: SigV4SuiteFile.Case) throws {
        let common = try SigV4SuiteFile.load().common
        let request = try #require(suiteCase.httpRequest)
        let token = suiteCase.sessionTokenSigned == true ? suiteCase.sessionToken : nil
        let credentials = Credentials(
            accessKeyID: common.accessKeyID, secretAccessKey: common.secretAccessKey, sessionToken: token)
        let date = try #require(SigV4.date(fromAMZDate: common.amzDate))

        var signed = SigV4Signer(service: common.service, region: common.region)
            .sign(request, credentials: credentials, date: date)
        #expect(signed.headers["Authorization"] == suiteCase.authorization)
        #expect(signed.headers["X-Amz-Date"] == common.amzDate)
        #expect(signed.headers["X-Amz-Security-Token"] == token)

        // post-sts-header-after: the token is added after signing and does not change the signature.
        if suiteCase.sessionTokenSigned == false, let lateToken = suiteCase.sessionToken {
            signed.headers.add("X-Amz-Security-Token", lateToken)
            #expect(signed.headers["Authorization"] == suiteCase.authorization)
            #expect(!suiteCase.signedHeaders.contains("x-amz-security-token"))
        }
    }

    // MARK: - Path and query encoding

    @Test(arguments: [
        ("https://example.amazonaws.com/example%20space/", "/example%2520space/"),
        ("https://example.amazonaws.com/%E1%88%B4", "/%25E1%2588%25B4"),
        ("https://example.amazonaws.com", "/"),
        ("https://example.amazonaws.com/a/./b/../c//d/", "/a/c/d/"),
    ])
    func signerEncodesTheWirePathAgainForNonS3Services(url: String, canonicalPath: String) throws {
        // botocore gives the same canonical path for a URL whose path is already percent-encoded.
        let request = HTTPRequest(method: "GET", url: try #require(URL(string: url)))
        let date = Date(timeIntervalSince1970: 1_440_938_160)
        let credentials = Credentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
        let signed = SigV4Signer(service: "service", region: "us-east-1").sign(request, credentials: credentials, date: date)

        let canonicalRequest = SigV4.canonicalRequest(
            method: "GET", path: try #require(URL(string: url)).path(percentEncoded: true), query: nil,
            headers: signed.headers, signedHeaders: ["host", "x-amz-date"], payloadHash: SHA256.hash([]).hexString)
        #expect(canonicalRequest.split(separator: "\n", omittingEmptySubsequences: false)[1] == canonicalPath[...])
        let key = SigV4.signingKey(
            secretAccessKey: credentials.secretAccessKey, dateStamp: "20150830", region: "us-east-1", service: "service")
        let scope = "20150830/us-east-1/service/aws4_request"
        let signature = SigV4.signature(
            signingKey: key,
            stringToSign: SigV4.stringToSign(amzDate: "20150830T123600Z", scope: scope, canonicalRequest: canonicalRequest))
        #expect(signed.headers["Authorization"]?.hasSuffix("Signature=\(signature)") == true)
    }

    @Test func queryIsDecodedReencodedAndSorted() {
        #expect(SigV4.canonicalQuery("b=2&a=3&a=1&%7e=x&c&d=a%20b+c") == "a=1&a=3&b=2&c=&d=a%20b%2Bc&~=x")
        #expect(SigV4.canonicalQuery(nil) == "")
        #expect(SigV4.canonicalQuery("") == "")
    }

    // MARK: - KMS vectors

    @Test func kmsFixtureHoldsEveryCase() throws {
        let file = try KMSSigV4VectorFile.load()
        #expect(file.cases.count == 26)
        #expect(file.caseCount == 26)
    }

    @Test(arguments: try KMSSigV4VectorFile.load().cases)
    func signsKMSVector(_ vector: KMSSigV4VectorFile.Case) throws {
        let signed = SigV4Signer(service: vector.service, region: vector.region)
            .sign(try vector.request(), credentials: vector.credentials, date: try vector.date())
        #expect(headerPairs(signed.headers) == vector.expected.headersAfterSigning)
        #expect(signed.headers["Authorization"] == vector.expected.authorization)
        #expect(signed.body == Data(vector.body.utf8))
    }

    @Test(arguments: try KMSSigV4VectorFile.load().cases)
    func buildingBlocksReproduceKMSVector(_ vector: KMSSigV4VectorFile.Case) throws {
        var headers = HTTPHeaders(vector.headers.map { ($0[0], $0[1]) })
        headers.add("X-Amz-Date", vector.amzDate)
        if let token = vector.sessionToken { headers.add("X-Amz-Security-Token", token) }
        let signedHeaders = SigV4.signedHeaderNames(of: headers)
        #expect(signedHeaders.joined(separator: ";") == vector.expected.signedHeaders)

        let payloadHash = SHA256.hash(Data(vector.body.utf8)).hexString
        #expect(payloadHash == vector.bodySHA256)
        let url = try #require(URL(string: vector.url))
        let canonicalRequest = SigV4.canonicalRequest(
            method: vector.method, path: url.path(percentEncoded: true), query: url.query(percentEncoded: true),
            headers: headers, signedHeaders: signedHeaders, payloadHash: payloadHash)
        #expect(canonicalRequest == vector.expected.canonicalRequest)

        let dateStamp = String(vector.amzDate.prefix(8))
        let scope = SigV4.scope(dateStamp: dateStamp, region: vector.region, service: vector.service)
        let stringToSign = SigV4.stringToSign(amzDate: vector.amzDate, scope: scope, canonicalRequest: canonicalRequest)
        #expect(stringToSign == vector.expected.stringToSign)

        let key = SigV4.signingKey(
            secretAccessKey: vector.secretAccessKey, dateStamp: dateStamp, region: vector.region, service: vector.service)
        #expect(key.hexString == vector.expected.signingKeyHex)
        #expect(SigV4.signature(signingKey: key, stringToSign: stringToSign) == vector.expected.signature)
    }

    @Test(arguments: try KMSSigV4VectorFile.load().cases)
    func addsHostFromURLWhenAbsent(_ vector: KMSSigV4VectorFile.Case) throws {
        var request = try vector.request()
        request.headers.remove("Host")
        let signed = SigV4Signer(service: vector.service, region: vector.region)
            .sign(request, credentials: vector.credentials, date: try vector.date())
        let expectedHost = try #require(vector.headers.first { $0[0] == "Host" }?[1])
        #expect(signed.headers["Host"] == expectedHost)
        #expect(signed.headers["Authorization"] == vector.expected.authorization)
    }

    @Test(arguments: [
        ("https://kms.us-east-1.amazonaws.com/", "kms.us-east-1.amazonaws.com"),
        ("https://kms.us-east-1.amazonaws.com:443/", "kms.us-east-1.amazonaws.com"),
        ("https://kms.us-east-1.amazonaws.com:8443/", "kms.us-east-1.amazonaws.com:8443"),
        ("http://localhost:80/", "localhost"),
        ("http://127.0.0.1:4599/", "127.0.0.1:4599"),
        ("http://[::1]:4599/", "[::1]:4599"),
    ])
    func hostHeaderOmitsOnlyTheDefaultPort(url: String, host: String) throws {
        #expect(SigV4Signer.hostHeaderValue(for: try #require(URL(string: url))) == host)
    }

    @Test func signingAgainReplacesDateAndAuthorization() throws {
        let vector = try #require(try KMSSigV4VectorFile.load().cases.first { $0.sessionToken != nil })
        let signer = SigV4Signer(service: vector.service, region: vector.region)
        let first = signer.sign(try vector.request(), credentials: vector.credentials, date: Date(timeIntervalSince1970: 0))
        let second = signer.sign(first, credentials: vector.credentials, date: try vector.date())
        #expect(headerPairs(second.headers) == vector.expected.headersAfterSigning)
    }

    @Test func cachedSigningKeyFollowsCredentialChanges() throws {
        let vectors = try KMSSigV4VectorFile.load().cases.filter { $0.region == "us-east-1" }
        let signer = SigV4Signer(service: "kms", region: "us-east-1")
        // Alternate secrets and dates through one signer so a stale cached key would show.
        for vector in vectors + vectors.reversed() {
            let signed = signer.sign(try vector.request(), credentials: vector.credentials, date: try vector.date())
            #expect(signed.headers["Authorization"] == vector.expected.authorization, "\(vector.name)")
        }
    }

    // MARK: - Dates

    @Test(arguments: [
        (0.0, "19700101T000000Z"),
        (1_440_938_160.0, "20150830T123600Z"),
        (1_709_251_199.0, "20240229T235959Z"),
        (1_709_251_199.999, "20240229T235959Z"),
        (951_782_400.0, "20000229T000000Z"),
        (4_102_444_799.0, "20991231T235959Z"),
    ])
    func formatsAMZDate(seconds: Double, text: String) {
        let date = Date(timeIntervalSince1970: seconds)
        #expect(SigV4.amzDate(date) == text)
        #expect(SigV4.dateStamp(date) == String(text.prefix(8)))
        #expect(SigV4.date(fromAMZDate: text) == Date(timeIntervalSince1970: seconds.rounded(.down)))
    }

    @Test(arguments: ["", "20150830T123600", "20150830 123600Z", "20230229T000000Z", "20151330T000000Z", "20150830T246000Z", "2015083OT123600Z"])
    func rejectsMalformedAMZDate(_ text: String) {
        #expect(SigV4.date(fromAMZDate: text) == nil)
    }
}
