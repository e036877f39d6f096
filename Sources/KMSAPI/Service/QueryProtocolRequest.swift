import Foundation

/// Builds requests in the AWS Query protocol (STS): a form-encoded `POST /` with `Action` and `Version`.
public enum QueryProtocolRequest {
    /// The unsigned request for one Query operation.
    /// - Parameters:
    ///   - endpoint: the service endpoint; one given as `https://host` (no path) posts to `/`.
    ///   - action: the operation name (`AssumeRole`).
    ///   - version: the API version (`2011-06-15`).
    ///   - parameters: the operation's members, in the order they are sent.
    public static func make(endpoint: URL, action: String, version: String, parameters: [(String, String)]) -> HTTPRequest {
        let fields = [("Action", action), ("Version", version)] + parameters
        let body = fields.map { "\(encode($0.0))=\(encode($0.1))" }.joined(separator: "&")
        var url = endpoint
        if url.path.isEmpty, var components = URLComponents(url: url, resolvingAgainstBaseURL: false) {
            components.path = "/"
            url = components.url ?? url
        }
        let headers = HTTPHeaders([("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")])
        return HTTPRequest(method: "POST", url: url, headers: headers, body: Data(body.utf8))
    }

    /// Percent-encodes a form value the way SigV4 encodes query values (only unreserved bytes stay).
    static func encode(_ text: String) -> String {
        SigV4.uriEncode(Array(text.utf8), keepingSlash: false)
    }
}
