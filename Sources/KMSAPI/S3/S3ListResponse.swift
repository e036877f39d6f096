import Foundation

/// Reads a ListObjectsV2 answer (`<ListBucketResult>`), URL-decoding keys when S3 encoded them.
enum S3ListResponse {
    /// The page in an answer.
    /// - Throws: `KMSError` with `kms.invalid-response` when the body is not a ListBucketResult, or
    ///   says it is truncated without a continuation token.
    static func page(from response: HTTPResponse) throws -> S3ListPage {
        let root: AWSXMLElement
        do {
            root = try AWSXMLReader.parse(response.body)
        } catch {
            throw invalid(response, "is not XML", underlying: error)
        }
        guard root.name == "ListBucketResult" else { throw invalid(response, "is not a ListBucketResult") }
        let isURLEncoded = root.childText("EncodingType") == "url"
        func decoded(_ text: String) -> String { isURLEncoded ? formDecoded(text) : text }
        var objects: [S3ObjectSummary] = []
        for element in root.children(named: "Contents") {
            guard let key = element.childText("Key") else { throw invalid(response, "lists an object without a Key") }
            objects.append(
                S3ObjectSummary(
                    key: decoded(key), etag: element.childText("ETag").map(S3ETag.init(rawValue:)),
                    size: element.childText("Size").flatMap { Int($0) },
                    lastModified: element.childText("LastModified").flatMap(CredentialsDocument.parseDate)))
        }
        let prefixes = root.children(named: "CommonPrefixes").compactMap { $0.childText("Prefix").map(decoded) }
        let isTruncated = root.childText("IsTruncated") == "true"
        let token = root.childText("NextContinuationToken").flatMap { $0.isEmpty ? nil : $0 }
        if isTruncated && token == nil { throw invalid(response, "is truncated but has no NextContinuationToken") }
        return S3ListPage(objects: objects, commonPrefixes: prefixes, nextContinuationToken: isTruncated ? token : nil)
    }

    /// Decodes `%XY` escapes and `+` (a space), as botocore's `unquote_plus` does for these answers.
    static func formDecoded(_ text: String) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }

    private static func invalid(_ response: HTTPResponse, _ problem: String, underlying: (any Error & Sendable)? = nil) -> KMSError {
        KMSError(
            code: .invalidResponse, message: "The ListObjectsV2 answer \(problem); check that the endpoint is an S3 endpoint.",
            httpStatus: response.status, requestID: AWSRequestPipeline.requestID(of: response), underlying: underlying)
    }
}
