import Foundation
import KMSAPI
import Testing
@testable import KMSLocal

/// Request framing: complete requests, partial ones, and the rejections.
struct HTTPRequestParserTests {
    @Test func parsesAPostWithBodyAndKeepsLeftoverBytes() throws {
        let text = "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\n{}GET"
        guard case .request(let request, let keepAlive, let consumed) = HTTPRequestParser.parse(Array(text.utf8)) else {
            Issue.record("expected a request")
            return
        }
        #expect(request.method == "POST")
        #expect(request.body == Data("{}".utf8))
        #expect(keepAlive)
        #expect(consumed == text.utf8.count - 3)
    }

    @Test func waitsForTheRestOfTheBody() {
        let text = "POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\n{}"
        #expect(HTTPRequestParser.parse(Array(text.utf8)) == .needMoreData)
    }

    @Test(arguments: [
        ("GARBAGE\r\n\r\n", 400), ("GET / HTTP/1.1\r\nno colon\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", 411),
        ("POST / HTTP/1.1\r\nContent-Length: 2097152\r\n\r\n", 413), ("POST / HTTP/1.1\r\nContent-Length: x\r\n\r\n", 400),
    ])
    func rejectsMalformedRequests(text: String, status: Int) {
        guard case .reject(let actual, _) = HTTPRequestParser.parse(Array(text.utf8)) else {
            Issue.record("expected a rejection")
            return
        }
        #expect(actual == status)
    }
}
