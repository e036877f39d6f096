import Foundation

/// Sends requests with libcurl itself, trusting only the CA certificates of a configured bundle.
///
/// The CLI uses it instead of `URLSessionTransport` when `AWS_CA_BUNDLE` or a profile's
/// `ca_bundle` is set (for a proxy that inspects TLS): FoundationNetworking on Linux cannot hand
/// libcurl a CA file (it sets `CURLOPT_CAINFO` only on Android). Otherwise it behaves as
/// `URLSessionTransport` does: the request's headers as set, no redirects followed, HTTP/1.1,
/// proxies from the environment (`https_proxy`, `HTTPS_PROXY`, `http_proxy`, `NO_PROXY`, read by
/// libcurl), connections reused, and the same error codes (`TransportFailure`). libcurl is loaded
/// at run time (`libcurl.so.4`, which FoundationNetworking already links), so nothing is added to
/// the build.
public final class CurlTransport: HTTPTransport {
    /// The bundle this transport trusts.
    public let caBundle: CABundle
    private let pool: CurlHandlePool
    private let connectTimeout: TimeInterval
    private let requestTimeout: TimeInterval

    /// Creates a transport; call `CABundle.validate(readFile:)` first for a clear error on a bad file.
    /// - Parameters:
    ///   - connectTimeout: seconds to wait for a connection (millisecond precision).
    ///   - requestTimeout: seconds to wait for a whole answer.
    ///   - maxConnectionsPerHost: how many idle connections are kept for reuse.
    /// - Throws: `KMSError` with `config.invalid` when libcurl cannot be loaded.
    public init(caBundle: CABundle, connectTimeout: TimeInterval = 10, requestTimeout: TimeInterval = 60, maxConnectionsPerHost: Int = 64) throws {
        if let problem = CurlHandlePool.loadLibrary() {
            throw KMSError(
                code: .invalidConfiguration,
                message: "\(caBundle.setting) needs libcurl, which could not be loaded (\(problem)); install libcurl 4 or unset it.")
        }
        guard let pool = CurlHandlePool(maxIdle: maxConnectionsPerHost) else {
            throw KMSError(code: .transportFailed, message: "libcurl could not allocate its handle pool.")
        }
        self.caBundle = caBundle
        self.pool = pool
        self.connectTimeout = connectTimeout
        self.requestTimeout = requestTimeout
    }

    /// Sends a request and returns the complete answer.
    /// - Throws: `CancellationError` when the calling task is cancelled before an answer arrives;
    ///   `KMSError` with a transport code, or `config.invalid` when the bundle cannot be loaded.
    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        try Task.checkCancellation()
        let prepared = CurlRequest(request, caFile: caBundle.path, connectTimeout: connectTimeout, requestTimeout: requestTimeout)
        let cancellation = CurlCancellation()
        let pool = self.pool
        let outcome = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<CurlOutcome, Never>) in
                // libcurl blocks its thread for the whole request. A blocking call must not hold one of
                // Swift concurrency's cooperative threads (one per core: two here), or a few slow
                // requests would stall every task; so each request runs on a thread of its own,
                // which ends with it. Cancellation reaches it through `cancellation` within ~50 ms.
                let thread = Thread {
                    continuation.resume(returning: pool.perform(prepared, cancellation: cancellation))
                }
                thread.name = "decommission.curl"
                thread.start()
            }
        } onCancel: {
            cancellation.cancel()
        }
        if outcome.wasCancelled || (outcome.curlCode != 0 && Task.isCancelled) { throw CancellationError() }
        return try outcome.response(for: request.url, caBundle: caBundle)
    }
}
