import Foundation

/// The parts of an `AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...` header.
struct SigV4AuthorizationHeader: Equatable {
    var accessKeyID: String
    var dateStamp: String
    var region: String
    var signedHeaders: [String]
    var signature: String

    static func parse(_ header: String, service: String) -> Result<SigV4AuthorizationHeader, SigV4VerificationFailure> {
        let trimmed = trimmingSpaces(header[...])
        guard let space = trimmed.utf8.firstIndex(of: UInt8(ascii: " ")), trimmed[..<space] == SigV4.algorithm else {
            let algorithm = trimmed.prefix { $0 != " " }
            return .failure(.malformedAuthorization("Unsupported AWS 'algorithm': '\(algorithm.prefix(40))'."))
        }
        var parameters: [String: String] = [:]
        for component in trimmed[trimmed.utf8.index(after: space)...].utf8.split(separator: UInt8(ascii: ",")) {
            let pair = trimmingSpaces(Substring(component))
            guard let equals = pair.utf8.firstIndex(of: UInt8(ascii: "=")) else { continue }
            parameters[String(pair[..<equals])] = String(pair[pair.utf8.index(after: equals)...])
        }
        let missing = ["Credential", "SignedHeaders", "Signature"].filter { parameters[$0] == nil }
        guard missing.isEmpty, let credential = parameters["Credential"],
            let signedHeaderList = parameters["SignedHeaders"], let signature = parameters["Signature"]
        else {
            return .failure(.malformedAuthorization(
                missing.map { "Authorization header requires '\($0)' parameter." }.joined(separator: " ")))
        }
        let scope = credential.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
            .map { String(Substring($0)) }
        guard scope.count == 5, !scope[0].isEmpty, !scope[2].isEmpty else {
            return .failure(.malformedAuthorization(
                "Credential should be scoped to a valid region, service and date: 'AKID/yyyymmdd/region/service/aws4_request'."))
        }
        guard scope[1].utf8.count == 8, scope[1].utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            return .failure(.malformedAuthorization("Credential should be scoped to a valid date: '\(scope[1].prefix(20))'."))
        }
        guard scope[3] == service else {
            return .failure(.malformedAuthorization("Credential should be scoped to correct service: '\(service)'."))
        }
        guard scope[4] == SigV4.scopeTerminator else {
            return .failure(.malformedAuthorization(
                "Credential should be scoped with a valid terminator: '\(SigV4.scopeTerminator)', not '\(scope[4].prefix(40))'."))
        }
        let signedHeaders = signedHeaderList.utf8.split(separator: UInt8(ascii: ";")).map { Substring($0).lowercased() }
        guard signedHeaders.contains("host") else {
            return .failure(.malformedAuthorization("'Host' must be a 'SignedHeader' in the AWS Authorization."))
        }
        return .success(SigV4AuthorizationHeader(
            accessKeyID: scope[0], dateStamp: scope[1], region: scope[2],
            signedHeaders: signedHeaders, signature: signature))
    }

    /// Drops leading and trailing spaces and tabs (cheaper than Foundation's `CharacterSet` trimming).
    private static func trimmingSpaces(_ text: Substring) -> Substring {
        let isSpace: (UInt8) -> Bool = { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
        guard let first = text.utf8.firstIndex(where: { !isSpace($0) }),
            let last = text.utf8.lastIndex(where: { !isSpace($0) })
        else { return text[text.endIndex...] }
        return text[first...last]
    }
}
