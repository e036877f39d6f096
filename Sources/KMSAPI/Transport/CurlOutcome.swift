import Foundation

/// What libcurl reported for one request, and how that becomes an `HTTPResponse` or a `KMSError`.
struct CurlOutcome: Sendable, Equatable {
    /// `CURLcode`: 0 when an answer arrived; -1 when libcurl could not be loaded.
    var curlCode: Int32
    /// Whether the calling task's cancellation stopped the request.
    var wasCancelled: Bool
    var status: Int
    /// Every header line received (interim and proxy answers included), CRLF-separated.
    var headerBytes: Data
    var body: Data
    /// libcurl's explanation of a failure.
    var detail: String

    /// The answer, or the error that explains why there is none.
    /// - Throws: `KMSError` with a transport code (`kms.tls-failed` naming the endpoint and the
    ///   bundle's setting, ...), or `config.invalid` when the bundle or libcurl cannot be loaded.
    func response(for url: URL, caBundle: CABundle) throws -> HTTPResponse {
        switch curlCode {
        case 0:
            guard (100...999).contains(status) else {
                throw KMSError(code: .invalidResponse, message: "The answer from \(TransportFailure.endpointName(url)) was not HTTP.")
            }
            return HTTPResponse(status: status, headers: Self.headers(from: headerBytes), body: body)
        case -1:
            throw KMSError(
                code: .invalidConfiguration,
                message: "\(caBundle.setting) needs libcurl, which could not be loaded (\(detail)); install libcurl 4 or unset it.")
        case Self.caCertificateBadFile:
            throw caBundle.invalid("libcurl could not load (\(detail))")
        default:
            throw Self.failure(curlCode: curlCode, detail: detail).error(for: url, caBundle: caBundle)
        }
    }

    /// `CURLE_SSL_CACERT_BADFILE`: the CA file could not be read or parsed.
    static let caCertificateBadFile: Int32 = 77

    /// Classifies a `CURLcode` (curl's libcurl-errors.3) as `URLSessionTransport` classifies URL errors.
    static func failure(curlCode: Int32, detail: String) -> TransportFailure {
        switch curlCode {
        case 7: return .connectionRefused  // COULDNT_CONNECT
        case 28: return .timeout  // OPERATION_TIMEDOUT
        case 5, 6: return .hostNotFound  // COULDNT_RESOLVE_PROXY, COULDNT_RESOLVE_HOST
        // A proxy refused the tunnel: nothing reached the service, and the detail names the answer.
        case 56 where detail.contains("CONNECT tunnel failed"): return .other(detail)
        case 8, 18, 52, 55, 56: return .connectionLost  // WEIRD_SERVER_REPLY, PARTIAL_FILE, GOT_NOTHING, SEND_ERROR, RECV_ERROR
        case 42: return .cancelled  // ABORTED_BY_CALLBACK
        // SSL_CONNECT_ERROR, SSL_ENGINE_*, SSL_CERTPROBLEM, SSL_CIPHER, PEER_FAILED_VERIFICATION,
        // USE_SSL_FAILED, SSL_SHUTDOWN_FAILED, SSL_CRL_BADFILE, SSL_ISSUER_ERROR, SSL_PINNEDPUBKEYNOTMATCH,
        // SSL_INVALIDCERTSTATUS, SSL_CLIENTCERT
        case 35, 53, 54, 58, 59, 60, 64, 66, 80, 82, 83, 90, 91, 98: return .tls(detail)
        default: return .other(detail)
        }
    }

    /// Reads the final answer's header fields: each status line ("HTTP/1.1 100 Continue", a proxy's
    /// "200 Connection established") starts a new block, and only the last block is kept.
    static func headers(from data: Data) -> HTTPHeaders {
        var fields: [(String, String)] = []
        for line in String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline) {
            if line.hasPrefix("HTTP/") {
                fields = []
            } else if let first = line.first, first == " " || first == "\t", let last = fields.popLast() {
                // An obsolete folded continuation of the previous field.
                fields.append((last.0, last.1 + " " + line.trimmingCharacters(in: .whitespaces)))
            } else if let colon = line.firstIndex(of: ":") {
                let name = line[..<colon].trimmingCharacters(in: .whitespaces)
                guard !name.isEmpty else { continue }
                fields.append((name, line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
            }
        }
        return HTTPHeaders(fields)
    }
}
