import CCurlShim
import Foundation
import Synchronization

/// libcurl handles kept open between requests, so connections and TLS sessions are reused.
///
/// `@unchecked Sendable`: the pointer never changes, and the C pool guards its list of handles with
/// its own pthread mutex; each request has a handle to itself from start to end.
final class CurlHandlePool: @unchecked Sendable {
    private let pool: OpaquePointer

    /// Makes a pool keeping up to `maxIdle` idle handles; nil when out of memory.
    init?(maxIdle: Int) {
        guard let pool = ccurl_pool_create(max(1, maxIdle)) else { return nil }
        self.pool = pool
    }

    deinit { ccurl_pool_destroy(pool) }

    /// Loads libcurl once per process; returns why it cannot be used, or nil.
    static func loadLibrary() -> String? {
        ccurl_load().map { String(cString: $0) }
    }

    /// Performs one request on the calling thread, blocking it until the request ends.
    func perform(_ request: CurlRequest, cancellation: CurlCancellation) -> CurlOutcome {
        var response = ccurl_response()
        defer { ccurl_response_free(&response) }
        let lines = request.headerLines.map { strdup($0) }
        defer { lines.forEach { free($0) } }
        let linePointers = lines.map { $0.map { UnsafePointer($0) } }
        let context = Unmanaged.passUnretained(cancellation).toOpaque()
        withExtendedLifetime(cancellation) {
            request.method.withCString { method in
                request.url.withCString { url in
                    Self.withOptionalCString(request.caFile) { caFile in
                        linePointers.withUnsafeBufferPointer { headers in
                            request.body.withUnsafeBytes { body in
                                var call = ccurl_request()
                                call.method = method
                                call.url = url
                                call.headers = headers.baseAddress
                                call.header_count = headers.count
                                call.body = body.baseAddress?.assumingMemoryBound(to: UInt8.self)
                                call.body_length = body.count
                                call.sends_body = request.sendsBody ? 1 : 0
                                call.ca_file = caFile
                                call.connect_timeout_ms = request.connectTimeoutMilliseconds
                                call.timeout_ms = request.timeoutMilliseconds
                                call.is_cancelled = { context in
                                    guard let context else { return 0 }
                                    return Unmanaged<CurlCancellation>.fromOpaque(context).takeUnretainedValue().isCancelled ? 1 : 0
                                }
                                call.context = context
                                ccurl_perform(pool, &call, &response)
                            }
                        }
                    }
                }
            }
        }
        return CurlOutcome(
            curlCode: response.curl_code, wasCancelled: response.was_cancelled != 0, status: response.status,
            headerBytes: Self.data(response.headers, response.headers_length), body: Self.data(response.body, response.body_length),
            detail: withUnsafeBytes(of: response.error) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) })
    }

    private static func data(_ bytes: UnsafeMutablePointer<UInt8>?, _ count: Int) -> Data {
        guard let bytes, count > 0 else { return Data() }
        return Data(bytes: bytes, count: count)
    }

    private static func withOptionalCString<T>(_ string: String?, _ body: (UnsafePointer<CChar>?) -> T) -> T {
        guard let string else { return body(nil) }
        return string.withCString { body($0) }
    }
}

/// The flag a request's cancellation handler sets and libcurl's transfer loop polls.
final class CurlCancellation: Sendable {
    private let flag = Mutex(false)

    /// Asks the running request to stop.
    func cancel() { flag.withLock { $0 = true } }

    /// Whether the request was asked to stop.
    var isCancelled: Bool { flag.withLock { $0 } }
}
