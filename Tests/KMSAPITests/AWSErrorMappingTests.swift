import Foundation
import KMSAPI
import Testing

struct AWSErrorMappingTests {
    private func response(status: Int = 400, headers: [(String, String)] = [], body: String) -> HTTPResponse {
        HTTPResponse(status: status, headers: HTTPHeaders(headers), body: Data(body.utf8))
    }

    @Test func prefersTheErrorTypeHeaderOverTheBody() {
        let answer = response(
            headers: [("X-Amzn-ErrorType", "NotFoundException:http://internal.amazon.com/")],
            body: #"{"__type":"ValidationException","message":"x"}"#)
        #expect(AWSErrorMapping.errorType(headers: answer.headers, body: answer.body) == "NotFoundException")
    }

    @Test(arguments: [
        #"{"__type":"com.amazonaws.kms#NotFoundException","message":"Key 'k' does not exist"}"#,
        #"{"__type":"NotFoundException","Message":"Key 'k' does not exist"}"#,
    ])
    func readsTypeFromBodyDroppingNamespaceAndEitherMessageSpelling(body: String) {
        let error = AWSErrorMapping.error(
            for: response(headers: [("x-amzn-RequestId", "r-9")], body: body), operation: DescribeKey.name)
        #expect(error.code == .keyNotFound)
        #expect(error.awsErrorType == "NotFoundException")
        #expect(error.requestID == "r-9")
        #expect(error.message.contains("Key 'k' does not exist"))
        #expect(error.message.hasSuffix("."))
        #expect(!error.isRetryable)
    }

    @Test(arguments: [
        ("ThrottlingException", 400, KMSError.Code.throttled, KMSError.Retryability.throttling),
        ("LimitExceededException", 400, .limitExceeded, .clientError),
        ("KMSInternalException", 500, .serviceUnavailable, .serverError),
        ("DependencyTimeoutException", 503, .serviceUnavailable, .serverError),
        ("KMSInvalidStateException", 409, .invalidKeyState, .clientError),
        ("CustomKeyStoreHasCMKsException", 400, .keyStoreHasKeys, .clientError),
        ("SomethingNewException", 400, .serviceError, .clientError),
    ])
    func classifiesKnownNames(type: String, status: Int, code: KMSError.Code, retryability: KMSError.Retryability) {
        let error = AWSErrorMapping.error(for: response(status: status, body: #"{"__type":"\#(type)"}"#), operation: EnableKey.name)
        #expect(error.code == code)
        #expect(error.retryability == retryability)
        #expect(error.awsErrorType == type)
    }

    @Test(arguments: [(500, true), (502, true), (503, true), (504, true), (429, true), (400, false), (403, false)])
    func classifiesUnnamedAnswersByStatus(status: Int, retryable: Bool) {
        let error = AWSErrorMapping.error(for: response(status: status, body: "<html>oops</html>"), operation: ListKeys.name)
        #expect(error.isRetryable == retryable)
        #expect(error.awsErrorType == nil)
        #expect(!error.message.contains("oops"))
    }
}

struct AWSErrorMappingXMLTests {
    @Test func readsAQueryErrorResponse() {
        let body = """
            <ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type>
            <Code>AccessDenied</Code><Message>User is not authorized to perform sts:AssumeRole</Message></Error>
            <RequestId>req-42</RequestId></ErrorResponse>
            """
        let error = AWSErrorMapping.error(forXML: HTTPResponse(status: 403, body: Data(body.utf8)), operation: "AssumeRole")
        #expect(error.code == .accessDenied)
        #expect(error.awsErrorType == "AccessDenied")
        #expect(error.requestID == "req-42")
        #expect(error.message == "AssumeRole failed with AccessDenied: User is not authorized to perform sts:AssumeRole.")
    }

    @Test func readsARestXMLErrorAndABodylessStatus() {
        let body = "<Error><Code>NoSuchBucket</Code><Message>The specified bucket does not exist</Message><RequestId>s3-1</RequestId></Error>"
        let error = AWSErrorMapping.error(forXML: HTTPResponse(status: 404, body: Data(body.utf8)), operation: "GetObject")
        #expect(error.awsErrorType == "NoSuchBucket")
        #expect(error.requestID == "s3-1")
        let head = AWSErrorMapping.error(
            forXML: HTTPResponse(status: 503, headers: HTTPHeaders([("x-amz-request-id", "h-1")])), operation: "HeadObject")
        #expect(head.awsErrorType == nil)
        #expect(head.code == .serviceUnavailable)
        #expect(head.requestID == "h-1")
        #expect(head.message == "HeadObject failed with HTTP 503.")
    }
}
