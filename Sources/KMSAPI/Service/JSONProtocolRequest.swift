import Foundation

/// Builds requests in the AWS JSON 1.1 protocol (KMS, CloudTrail): `POST /` with `X-Amz-Target`.
public enum JSONProtocolRequest {
    /// The unsigned request for one JSON 1.1 operation.
    /// - Parameters:
    ///   - endpoint: the service endpoint; one given as `https://host` (no path) posts to `/`.
    ///   - target: the full `X-Amz-Target` value (`TrentService.DescribeKey`).
    public static func make(endpoint: URL, target: String, body: Data) -> HTTPRequest {
        var url = endpoint
        // The JSON protocols always post to `/`; an endpoint given as `https://host` has no path.
        if url.path.isEmpty, var components = URLComponents(url: url, resolvingAgainstBaseURL: false) {
            components.path = "/"
            url = components.url ?? url
        }
        let headers = HTTPHeaders([
            ("Content-Type", "application/x-amz-json-1.1"),
            ("X-Amz-Target", target),
        ])
        return HTTPRequest(method: "POST", url: url, headers: headers, body: body)
    }
}
