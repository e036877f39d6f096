import Foundation
import KMSAPI
import Synchronization

/// A transport that records every request and answers from a script, never touching a network.
final class ScriptedTransport: HTTPTransport {
    /// Answers the `index`-th request (0-based): return a response or throw a transport error.
    typealias Responder = @Sendable (_ request: HTTPRequest, _ index: Int) throws -> HTTPResponse

    private let responder: Responder
    private let recorded = Mutex<[HTTPRequest]>([])

    /// Answers with a closure.
    init(_ responder: @escaping Responder) { self.responder = responder }

    /// Replays answers in order; requests past the end fail with `kms.transport-failed`.
    convenience init(_ script: [Result<HTTPResponse, KMSError>]) {
        self.init { _, index in
            guard index < script.count else {
                throw KMSError(code: .transportFailed, message: "The script has no answer for request \(index + 1).")
            }
            return try script[index].get()
        }
    }

    /// Every request sent so far, in order.
    var requests: [HTTPRequest] { recorded.withLock { $0 } }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let index = recorded.withLock { requests in
            requests.append(request)
            return requests.count - 1
        }
        return try responder(request, index)
    }

    /// A 200 answer with a JSON body.
    static func ok(_ body: String = "", requestID: String? = "request-ok") -> HTTPResponse {
        var headers = HTTPHeaders([("Content-Type", "application/x-amz-json-1.1")])
        if let requestID { headers.add("x-amzn-RequestId", requestID) }
        return HTTPResponse(status: 200, headers: headers, body: Data(body.utf8))
    }

    /// An AWS error answer with `__type` and `message` in the body.
    static func failure(_ type: String, status: Int = 400, message: String = "It failed.", requestID: String? = "request-error") -> HTTPResponse {
        var headers = HTTPHeaders([("Content-Type", "application/x-amz-json-1.1")])
        if let requestID { headers.add("x-amzn-RequestId", requestID) }
        let body = #"{"__type":"\#(type)","message":"\#(message)"}"#
        return HTTPResponse(status: status, headers: headers, body: Data(body.utf8))
    }
}
