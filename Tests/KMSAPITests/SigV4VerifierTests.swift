import Foundation
import Testing

@testable import KMSAPI

struct SigV4VerifierTests {
    static let accessKeyID = "AKIAIOSFODNN7EXAMPLE"
    static let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
    static let signingDate = Date(timeIntervalSince1970: 1_709_251_199)  // 20240229T235959Z

    /// A KMS request signed by `SigV4Signer`, as the emulator would receive it.
    func makeSignedRequest(sessionToken: String? = nil, date: Date = signingDate) throws -> HTTPRequest {
        let request = HTTPRequest(
            method: "POST", url: try #require(URL(string: "http://127.0.0.1:4599/")),
            headers: HTTPHeaders([
                ("Content-Type", "application/x-amz-json-1.1"),
                ("X-Amz-Target", "TrentService.DescribeKey"),
            ]),
            body: Data(#"{"KeyId":"alias/example"}"#.utf8))
        let credentials = Credentials(accessKeyID: Self.accessKeyID, secretAccessKey: Self.secret, sessionToken: sessionToken)
        return SigV4Signer(service: "kms", region: "eu-west-1").sign(request, credentials: credentials, date: date)
    }

    func verify(
        _ request: HTTPRequest, now: Date = signingDate, secrets: [String: String] = [accessKeyID: secret]
    ) -> Result<VerifiedCaller, SigV4VerificationFailure> {
        SigV4Verifier(service: "kms").verify(request, now: now) { secrets[$0] }
    }

    func failure(of result: Result<VerifiedCaller, SigV4VerificationFailure>) -> SigV4VerificationFailure? {
        if case .failure(let failure) = result { return failure }
        return nil
    }

    @Test func acceptsRequestSignedBySigner() throws {
        let result = verify(try makeSignedRequest())
        #expect(result == .success(VerifiedCaller(accessKeyID: Self.accessKeyID, region: "eu-west-1")))
    }

    @Test func reportsSessionTokenOfTemporaryCredentials() throws {
        let result = verify(try makeSignedRequest(sessionToken: "FwoGZXIvYXdzEXAMPLE+token/=="))
        #expect(result == .success(VerifiedCaller(
            accessKeyID: Self.accessKeyID, region: "eu-west-1", sessionToken: "FwoGZXIvYXdzEXAMPLE+token/==")))
    }

    @Test(arguments: try KMSSigV4VectorFile.load().cases)
    func acceptsBotocoreSignedKMSVector(_ vector: KMSSigV4VectorFile.Case) throws {
        let request = HTTPRequest(
            method: vector.method, url: try #require(URL(string: vector.url)),
            headers: HTTPHeaders(vector.expected.headersAfterSigning.map { ($0[0], $0[1]) }),
            body: Data(vector.body.utf8))
        let result = SigV4Verifier(service: "kms").verify(request, now: try vector.date()) {
            $0 == vector.accessKeyID ? vector.secretAccessKey : nil
        }
        #expect(result == .success(VerifiedCaller(
            accessKeyID: vector.accessKeyID, region: vector.region, sessionToken: vector.sessionToken)))
    }

    @Test func ignoresHeadersAddedAfterSigning() throws {
        var request = try makeSignedRequest()
        request.headers.add("User-Agent", "URLSession")
        request.headers.add("Content-Length", "25")
        #expect(verify(request) == .success(VerifiedCaller(accessKeyID: Self.accessKeyID, region: "eu-west-1")))
    }

    @Test func rejectsTamperedBody() throws {
        var request = try makeSignedRequest()
        request.body = Data(#"{"KeyId":"alias/other"}"#.utf8)
        #expect(failure(of: verify(request)) == .signatureMismatch)
    }

    @Test func rejectsTamperedSignedHeader() throws {
        var request = try makeSignedRequest()
        request.headers.replace("X-Amz-Target", with: "TrentService.ScheduleKeyDeletion")
        #expect(failure(of: verify(request)) == .signatureMismatch)
    }

    @Test func rejectsTamperedPath() throws {
        var request = try makeSignedRequest()
        request.url = try #require(URL(string: "http://127.0.0.1:4599/other"))
        #expect(failure(of: verify(request)) == .signatureMismatch)
    }

    @Test func rejectsWrongSecret() throws {
        let result = verify(try makeSignedRequest(), secrets: [Self.accessKeyID: "not-the-secret"])
        #expect(failure(of: result) == .signatureMismatch)
    }

    @Test func rejectsUnknownAccessKey() throws {
        let result = verify(try makeSignedRequest(), secrets: ["AKIDOTHER": Self.secret])
        #expect(failure(of: result) == .unknownAccessKey(Self.accessKeyID))
    }

    @Test func rejectsMissingAuthorization() throws {
        var request = try makeSignedRequest()
        request.headers.remove("Authorization")
        #expect(failure(of: verify(request)) == .missingAuthentication)
    }

    @Test func rejectsMissingDate() throws {
        var request = try makeSignedRequest()
        request.headers.remove("X-Amz-Date")
        #expect(failure(of: verify(request)) == .missingDate)
    }

    @Test(arguments: [-16.0 * 60, 16.0 * 60])
    func rejectsRequestTimeSixteenMinutesOff(offsetSeconds: TimeInterval) throws {
        let now = Self.signingDate.addingTimeInterval(offsetSeconds)
        let result = verify(try makeSignedRequest(), now: now)
        guard case .requestTimeTooSkewed(let message) = failure(of: result) else {
            Issue.record("expected requestTimeTooSkewed, got \(result)")
            return
        }
        #expect(message.contains("20240229T235959Z"))
        #expect(message.hasPrefix(offsetSeconds > 0 ? "Signature expired" : "Signature not yet current"))
    }

    @Test(arguments: [-14.0 * 60, 14.0 * 60])
    func acceptsRequestTimeFourteenMinutesOff(offsetSeconds: TimeInterval) throws {
        let result = verify(try makeSignedRequest(), now: Self.signingDate.addingTimeInterval(offsetSeconds))
        #expect(result == .success(VerifiedCaller(accessKeyID: Self.accessKeyID, region: "eu-west-1")))
    }

    @Test(arguments: [
        "AWS4-HMAC-SHA1 Credential=AKIAIOSFODNN7EXAMPLE/20240229/eu-west-1/kms/aws4_request, SignedHeaders=host;x-amz-date, Signature=00",
        "AWS4-HMAC-SHA256 SignedHeaders=host;x-amz-date, Signature=00",
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20240229/eu-west-1/kms/aws4_request, Signature=00",
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20240229/eu-west-1/kms/aws4_request, SignedHeaders=host;x-amz-date",
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20240229/eu-west-1/kms, SignedHeaders=host;x-amz-date, Signature=00",
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20240229/eu-west-1/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature=00",
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20240229/eu-west-1/kms/aws5_request, SignedHeaders=host;x-amz-date, Signature=00",
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/2024-02-29/eu-west-1/kms/aws4_request, SignedHeaders=host;x-amz-date, Signature=00",
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20240228/eu-west-1/kms/aws4_request, SignedHeaders=host;x-amz-date, Signature=00",
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20240229/eu-west-1/kms/aws4_request, SignedHeaders=x-amz-date, Signature=00",
        "garbage",
    ])
    func rejectsMalformedAuthorization(_ header: String) throws {
        var request = try makeSignedRequest()
        request.headers.replace("Authorization", with: header)
        let result = verify(request)
        guard case .malformedAuthorization(let message) = failure(of: result) else {
            Issue.record("expected malformedAuthorization, got \(result)")
            return
        }
        #expect(!message.isEmpty)
    }

    @Test func rejectsMalformedDate() throws {
        var request = try makeSignedRequest()
        request.headers.replace("X-Amz-Date", with: "2024-02-29T23:59:59Z")
        guard case .malformedAuthorization = failure(of: verify(request)) else {
            Issue.record("expected malformedAuthorization")
            return
        }
    }

    @Test func failureMessagesNeverRevealSecretsOrSignature() throws {
        let request = try makeSignedRequest(sessionToken: "SESSIONTOKENEXAMPLE")
        let signature = try #require(request.headers["Authorization"]?.split(separator: "=").last)
        let failures: [SigV4VerificationFailure] = [
            .missingAuthentication, .malformedAuthorization("detail"), .unknownAccessKey(Self.accessKeyID),
            .signatureMismatch, .requestTimeTooSkewed("detail"), .missingDate,
        ]
        for failure in failures {
            #expect(!failure.message.isEmpty)
            #expect(!failure.message.contains(Self.secret))
            #expect(!failure.message.contains("SESSIONTOKENEXAMPLE"))
            #expect(!failure.message.contains(signature))
        }
    }
}
