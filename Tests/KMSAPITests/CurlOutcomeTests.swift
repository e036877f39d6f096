import Foundation
import Testing

@testable import KMSAPI

/// libcurl's results become the same answers and error codes `URLSessionTransport` gives.
struct CurlOutcomeTests {
    private static let bundle = CABundle(path: "/etc/corp-ca.pem", setting: "ca_bundle in profile 'prod'")
    private static let url = URL(string: "https://kms.eu-west-1.amazonaws.com/some/path?x=1")!

    private func outcome(code: Int32, status: Int = 0, headers: String = "", detail: String = "") -> CurlOutcome {
        CurlOutcome(curlCode: code, wasCancelled: false, status: status, headerBytes: Data(headers.utf8), body: Data(), detail: detail)
    }

    private func error(_ outcome: CurlOutcome) throws -> KMSError {
        try #require(throws: KMSError.self) { try outcome.response(for: Self.url, caBundle: Self.bundle) }
    }

    @Test(arguments: [
        (Int32(7), KMSError.Code.connectionRefused), (28, .timeout), (6, .hostNotFound), (5, .hostNotFound),
        (52, .connectionLost), (56, .connectionLost), (55, .connectionLost), (18, .connectionLost), (8, .connectionLost),
        (35, .tlsFailed), (60, .tlsFailed), (58, .tlsFailed), (83, .tlsFailed), (1, .transportFailed), (97, .transportFailed),
    ] as [(Int32, KMSError.Code)])
    func curlCodesMapToTheTransportCodes(code: Int32, expected: KMSError.Code) throws {
        let error = try error(outcome(code: code, detail: "curl says"))
        #expect(error.code == expected)
        #expect(error.message.contains("https://kms.eu-west-1.amazonaws.com"))
        #expect(!error.message.contains("/some/path"))
    }

    @Test func aProxyRefusingTheTunnelIsATransportFailureNamingItsAnswer() throws {
        let error = try error(outcome(code: 56, detail: "CONNECT tunnel failed, response 403"))
        #expect(error.code == .transportFailed)
        #expect(!error.mayHaveBeenApplied)
        #expect(error.message.contains("CONNECT tunnel failed, response 403"))
    }

    @Test func aTLSFailureNamesTheEndpointTheSettingAndThePath() throws {
        let error = try error(outcome(code: 60, detail: "SSL certificate problem: unable to get local issuer certificate"))
        #expect(error.code == .tlsFailed)
        #expect(!error.isRetryable)
        #expect(error.message.contains("TLS with https://kms.eu-west-1.amazonaws.com failed: SSL certificate problem"))
        #expect(error.message.contains("ca_bundle in profile 'prod' ('/etc/corp-ca.pem')"))
    }

    @Test func aBundleLibcurlCannotLoadIsAConfigurationError() throws {
        let error = try error(outcome(code: CurlOutcome.caCertificateBadFile, detail: "error setting certificate file"))
        #expect(error.code == .invalidConfiguration)
        #expect(error.message.contains("ca_bundle in profile 'prod' names '/etc/corp-ca.pem'"))
    }

    @Test func libcurlMissingIsAConfigurationErrorNamingTheSetting() throws {
        let error = try error(outcome(code: -1, detail: "libcurl.so.4: cannot open shared object file"))
        #expect(error.code == .invalidConfiguration)
        #expect(error.message.contains("ca_bundle in profile 'prod' needs libcurl"))
    }

    @Test func onlyTheFinalAnswersHeadersAreKept() throws {
        let headers = "HTTP/1.1 200 Connection established\r\nProxy-Agent: corp\r\n\r\n"
            + "HTTP/1.1 100 Continue\r\n\r\n"
            + "HTTP/1.1 400 Bad Request\r\nx-amzn-RequestId: r-1\r\nContent-Type: application/x-amz-json-1.1\r\n"
            + "X-Folded: first\r\n  second\r\nX-Empty:\r\n\r\n"
        let response = try outcome(code: 0, status: 400, headers: headers).response(for: Self.url, caBundle: Self.bundle)
        #expect(response.status == 400)
        #expect(response.headers.fields.map(\.name) == ["x-amzn-RequestId", "Content-Type", "X-Folded", "X-Empty"])
        #expect(response.headers["x-amzn-requestid"] == "r-1")
        #expect(response.headers["X-Folded"] == "first second")
        #expect(response.headers["X-Empty"] == "")
        #expect(response.headers["Proxy-Agent"] == nil)
    }

    @Test func anAnswerWithoutAStatusIsInvalid() throws {
        #expect(try error(outcome(code: 0, status: 0)).code == .invalidResponse)
    }
}
