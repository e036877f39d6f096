import Foundation

/// A request as libcurl is handed it: header lines, whether a body is sent, the CA file and timeouts.
struct CurlRequest: Sendable, Equatable {
    var method: String
    var url: String
    /// Lines for `CURLOPT_HTTPHEADER`, in the request's order.
    var headerLines: [String]
    var body: Data
    var sendsBody: Bool
    /// The only CA certificates to trust; nil for libcurl's default store.
    var caFile: String?
    var connectTimeoutMilliseconds: Int
    var timeoutMilliseconds: Int

    /// Prepares a request; timeouts are whole milliseconds, at least 1.
    init(_ request: HTTPRequest, caFile: String?, connectTimeout: TimeInterval, requestTimeout: TimeInterval) {
        method = request.method
        url = request.url.absoluteString
        headerLines = Self.headerLines(request.headers)
        body = request.body
        sendsBody = request.sendsBody
        self.caFile = caFile
        connectTimeoutMilliseconds = Self.milliseconds(connectTimeout)
        timeoutMilliseconds = Self.milliseconds(requestTimeout)
    }

    /// The header lines that send exactly the request's headers.
    ///
    /// `Host` comes from the URL, as with `URLSessionTransport`. libcurl would add `Accept: */*`,
    /// `Content-Type: application/x-www-form-urlencoded` (for a body) and `Expect: 100-continue`
    /// (for a large body) of its own; "Name:" with no value tells it not to. A header with an empty
    /// value is written "Name;". CR and LF in a value become spaces, so no line can smuggle another.
    static func headerLines(_ headers: HTTPHeaders) -> [String] {
        var lines: [String] = []
        for field in headers where field.name.lowercased() != "host" {
            let value = String(field.value.map { $0 == "\r" || $0 == "\n" || $0 == "\r\n" ? " " : $0 })
            lines.append(value.isEmpty ? "\(field.name);" : "\(field.name): \(value)")
        }
        for name in ["Accept", "Content-Type", "Expect"] where headers[name] == nil {
            lines.append("\(name):")
        }
        return lines
    }

    private static func milliseconds(_ seconds: TimeInterval) -> Int {
        guard seconds.isFinite else { return Int(Int32.max) }
        return max(1, Int((seconds * 1000).rounded(.up)))
    }
}
