import Foundation
import Synchronization

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Sends requests with `URLSession`, reusing connections, with connect and request timeouts.
///
/// The only file that imports FoundationNetworking. `URLSession` adds its own `Accept`,
/// `User-Agent` and `Accept-Encoding` headers; they are not signed, so that is harmless.
/// The CLI uses it unless a CA bundle is configured (then `CurlTransport`, which can trust one).
public final class URLSessionTransport: HTTPTransport {
    private let session: URLSession
    private let requestTimeout: TimeInterval

    /// Creates a transport.
    /// - Parameters:
    ///   - connectTimeout: seconds to wait for a connection (whole seconds on Linux; at least 1).
    ///   - requestTimeout: seconds to wait for a whole answer (at least 1).
    ///   - maxConnectionsPerHost: the connection pool size, which bounds useful concurrency.
    public init(connectTimeout: TimeInterval = 10, requestTimeout: TimeInterval = 60, maxConnectionsPerHost: Int = 64) {
        let configuration = URLSessionConfiguration.ephemeral
        // libcurl truncates timeouts to whole seconds and fails at once below 1 s.
        configuration.timeoutIntervalForRequest = max(1, connectTimeout.rounded(.up))
        configuration.timeoutIntervalForResource = max(1, requestTimeout.rounded(.up))
        configuration.httpMaximumConnectionsPerHost = maxConnectionsPerHost
        configuration.httpShouldSetCookies = false
        configuration.httpCookieAcceptPolicy = .never
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        self.session = URLSession(configuration: configuration)
        self.requestTimeout = max(1, requestTimeout.rounded(.up))
    }

    deinit { session.finishTasksAndInvalidate() }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        var urlRequest = URLRequest(url: request.url, timeoutInterval: requestTimeout)
        urlRequest.httpMethod = request.method
        for field in request.headers where field.name.lowercased() != "host" {
            urlRequest.addValue(field.value, forHTTPHeaderField: field.name)
        }
        if request.sendsBody {
            urlRequest.httpBody = request.body
        }
        let data: Data
        let response: URLResponse
        do {
            (data, response) = try await perform(urlRequest)
        } catch let error as URLError where error.code == .cancelled && Task.isCancelled {
            throw CancellationError()
        } catch let error as URLError {
            throw Self.transportError(error, url: request.url)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw TransportFailure.other(error.localizedDescription).error(for: request.url)
        }
        guard let http = response as? HTTPURLResponse else {
            throw KMSError(code: .invalidResponse, message: "The answer from \(TransportFailure.endpointName(request.url)) was not HTTP.")
        }
        var headers = HTTPHeaders()
        for (name, value) in http.allHeaderFields {
            if let name = name as? String, let value = value as? String { headers.add(name, value) }
        }
        return HTTPResponse(status: http.statusCode, headers: headers, body: data)
    }

    /// Runs one data task, cancelling it when the calling task is cancelled.
    ///
    /// Not `session.data(for:)`: in swift-corelibs-foundation its cancellation handler calls
    /// `URLSessionTask.cancel()`, which waits on the session's work queue while the Swift runtime
    /// holds the cancelled task's status lock; if the work queue is at that moment finishing the
    /// request, it waits for the same lock to resume the continuation, and both hang forever
    /// (seen when a task group cancels in-flight calls). Here the cancel is handed to the
    /// session's delegate queue, so the handler returns at once.
    private func perform(_ urlRequest: URLRequest) async throws -> (Data, URLResponse) {
        let pending = PendingDataTask()
        let delegateQueue = session.delegateQueue
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<(Data, URLResponse), any Error>) in
                let task = session.dataTask(with: urlRequest) { data, response, error in
                    if let error {
                        continuation.resume(throwing: error)
                    } else if let response {
                        continuation.resume(returning: (data ?? Data(), response))
                    } else {
                        continuation.resume(throwing: URLError(.badServerResponse))
                    }
                }
                guard pending.start(task) else {
                    // Cancelled before the request began: nothing was sent.
                    continuation.resume(throwing: CancellationError())
                    return
                }
                task.resume()
            }
        } onCancel: {
            pending.cancel(on: delegateQueue)
        }
    }

    /// Classifies a URLSession failure; `TransportFailure` makes the error.
    static func transportError(_ error: URLError, url: URL) -> KMSError {
        failure(error, url: url).error(for: url)
    }

    private static func failure(_ error: URLError, url: URL) -> TransportFailure {
        switch error.code {
        case .cancelled: return .cancelled
        case .cannotConnectToHost: return .connectionRefused
        case .timedOut: return .timeout
        case .cannotFindHost, .dnsLookupFailed: return .hostNotFound
        case .networkConnectionLost, .badServerResponse, .zeroByteResource, .cannotParseResponse: return .connectionLost
        case .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate,
            .serverCertificateNotYetValid, .serverCertificateHasUnknownRoot, .clientCertificateRejected:
            return .tls(error.localizedDescription)
        // libcurl's certificate failures reach FoundationNetworking as `.unknown` with curl's
        // "SSL ..." text; there is no other signal, so that text is what identifies them.
        case .unknown where url.scheme == "https" && error.localizedDescription.contains("SSL"):
            return .tls(error.localizedDescription)
        case .notConnectedToInternet: return .noNetwork
        default: return .other(error.localizedDescription)
        }
    }
}

/// The data task of one `send`, shared with its cancellation handler (which may run first).
private final class PendingDataTask: Sendable {
    private struct State {
        var task: URLSessionDataTask?
        var isCancelled = false
    }
    private let state = Mutex(State())

    /// Records the task; false when the request was cancelled before it could start.
    func start(_ task: URLSessionDataTask) -> Bool {
        state.withLock { state in
            guard !state.isCancelled else { return false }
            state.task = task
            return true
        }
    }

    /// Cancels the task from `queue`, never from the cancellation handler's own thread.
    func cancel(on queue: OperationQueue) {
        let task = state.withLock { state -> URLSessionDataTask? in
            state.isCancelled = true
            return state.task
        }
        guard let task else { return }
        queue.addOperation { task.cancel() }
    }
}
