import Foundation

/// A way a request can fail to get an answer: the one place transports turn those into `KMSError`s.
///
/// `URLSessionTransport` and `CurlTransport` each classify their own error values into these
/// cases, so the codes, messages and retry classes are the same whichever transport is in use.
enum TransportFailure: Sendable, Equatable {
    case connectionRefused
    case timeout
    case hostNotFound
    case connectionLost
    case noNetwork
    /// The request was stopped by the transport itself, not by the calling task.
    case cancelled
    /// The TLS handshake or the server's certificate failed, with the library's explanation.
    case tls(String)
    /// Anything else, with the library's explanation.
    case other(String)

    /// Makes the error for a request to `url`, naming the endpoint and what to check.
    /// - Parameter caBundle: the CA bundle the transport trusts, if one is configured.
    func error(for url: URL, caBundle: CABundle? = nil) -> KMSError {
        let endpoint = Self.endpointName(url)
        switch self {
        case .connectionRefused:
            return KMSError(
                code: .connectionRefused,
                message: "Could not connect to \(endpoint): connection refused; check --endpoint-url and that the service is running.",
                retryability: .transient)
        case .timeout:
            return KMSError(code: .timeout, message: "Request to \(endpoint) timed out.", retryability: .transient)
        case .hostNotFound:
            return KMSError(
                code: .hostNotFound, message: "Could not resolve the host of \(endpoint); check the region and --endpoint-url.",
                retryability: .transient)
        case .connectionLost:
            return KMSError(
                code: .connectionLost, message: "The connection to \(endpoint) was lost before an answer arrived.",
                retryability: .transient)
        case .noNetwork:
            return KMSError(code: .transportFailed, message: "No network to reach \(endpoint).", retryability: .transient)
        case .cancelled:
            return KMSError(code: .transportFailed, message: "Request to \(endpoint) was cancelled.", retryability: .clientError)
        case .tls(let detail):
            return KMSError(code: .tlsFailed, message: Self.tlsMessage(endpoint: endpoint, detail: detail, caBundle: caBundle), retryability: .clientError)
        case .other(let detail):
            return KMSError(code: .transportFailed, message: "Request to \(endpoint) failed: \(detail).", retryability: .transient)
        }
    }

    /// Names the endpoint without path or query, for error messages.
    static func endpointName(_ url: URL) -> String {
        var components = URLComponents()
        components.scheme = url.scheme
        components.host = url.host
        components.port = url.port
        return components.string ?? url.absoluteString
    }

    /// A TLS failure names the endpoint and the setting to check: the configured bundle, or how to configure one.
    private static func tlsMessage(endpoint: String, detail: String, caBundle: CABundle?) -> String {
        let detail = detail.hasSuffix(".") ? String(detail.dropLast()) : detail
        guard let caBundle else {
            return "TLS with \(endpoint) failed: \(detail); if a proxy inspects TLS, set AWS_CA_BUNDLE (or ca_bundle in the profile) to a PEM file with its CA certificate."
        }
        return "TLS with \(endpoint) failed: \(detail); check that \(caBundle.setting) ('\(caBundle.path)') holds the CA certificate that signed the server's certificate."
    }
}
