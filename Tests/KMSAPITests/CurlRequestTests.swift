import Foundation
import Testing

@testable import KMSAPI

/// What libcurl is told to send: the request's own headers, and nothing libcurl would add.
struct CurlRequestTests {
    @Test func headerLinesKeepOrderDropHostAndSuppressLibcurlDefaults() {
        let headers = HTTPHeaders([("Host", "ignored.example"), ("X-Amz-Date", "20150830T123600Z"), ("x-amz-date", "twice"), ("X-Blank", "")])
        #expect(CurlRequest.headerLines(headers) == [
            "X-Amz-Date: 20150830T123600Z", "x-amz-date: twice", "X-Blank;", "Accept:", "Content-Type:", "Expect:",
        ])
    }

    @Test func headersTheRequestSetsAreSentInsteadOfSuppressed() {
        let headers = HTTPHeaders([("Content-Type", "application/x-amz-json-1.1"), ("accept", "application/json")])
        #expect(CurlRequest.headerLines(headers) == ["Content-Type: application/x-amz-json-1.1", "accept: application/json", "Expect:"])
    }

    @Test func lineBreaksInAValueCannotStartAnotherHeader() {
        let lines = CurlRequest.headerLines(HTTPHeaders([("X-Note", "a\r\nInjected: yes"), ("X-Other", "b\nc")]))
        #expect(lines.prefix(2) == ["X-Note: a Injected: yes", "X-Other: b c"])
    }

    @Test func timeoutsAreWholeMillisecondsOfAtLeastOne() throws {
        let request = HTTPRequest(method: "GET", url: try #require(URL(string: "http://127.0.0.1/")))
        let prepared = CurlRequest(request, caFile: "/ca.pem", connectTimeout: 0.0001, requestTimeout: 2.5)
        #expect(prepared.connectTimeoutMilliseconds == 1)
        #expect(prepared.timeoutMilliseconds == 2500)
        #expect(prepared.caFile == "/ca.pem")
        #expect(!prepared.sendsBody)
        #expect(CurlRequest(HTTPRequest(method: "POST", url: request.url), caFile: nil, connectTimeout: 1, requestTimeout: 1).sendsBody)
    }
}
