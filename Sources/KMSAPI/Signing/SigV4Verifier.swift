import Foundation

/// The caller a verified request was signed by.
public struct VerifiedCaller: Sendable, Equatable {
    /// The access key named in the credential scope.
    public var accessKeyID: String
    /// The region named in the credential scope.
    public var region: String
    /// The `X-Amz-Security-Token` sent with the request, if any.
    public var sessionToken: String?

    public init(accessKeyID: String, region: String, sessionToken: String? = nil) {
        self.accessKeyID = accessKeyID
        self.region = region
        self.sessionToken = sessionToken
    }
}

/// Why a request failed SigV4 verification; `message` is AWS-like text safe to send back.
public enum SigV4VerificationFailure: Error, Sendable, Equatable {
    /// No `Authorization` header (AWS: `MissingAuthenticationTokenException`).
    case missingAuthentication
    /// The `Authorization` header or credential scope is malformed (AWS: `IncompleteSignatureException`).
    case malformedAuthorization(String)
    /// The access key is not known (AWS: `UnrecognizedClientException`); carries the key ID.
    case unknownAccessKey(String)
    /// The signature does not match (AWS: `InvalidSignatureException`).
    case signatureMismatch
    /// The request time is too far from now (AWS: `InvalidSignatureException`, "Signature expired").
    case requestTimeTooSkewed(String)
    /// The request has no `X-Amz-Date` header (AWS: `IncompleteSignatureException`).
    case missingDate

    /// A one-sentence explanation in AWS's words; it never contains a secret or the signature.
    public var message: String {
        switch self {
        case .missingAuthentication:
            "Missing Authentication Token"
        case .malformedAuthorization(let detail):
            detail
        case .unknownAccessKey:
            "The security token included in the request is invalid."
        case .signatureMismatch:
            "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
        case .requestTimeTooSkewed(let detail):
            detail
        case .missingDate:
            "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."
        }
    }
}

/// Checks the SigV4 signature of an incoming request, as the KMS emulator receives it.
public struct SigV4Verifier: Sendable {
    /// The service every credential scope must name, for example `kms`.
    public let service: String
    /// How far the request time may be from now, in seconds (AWS allows 15 minutes).
    public let maxClockSkew: TimeInterval

    /// Creates a verifier for one service.
    public init(service: String, maxClockSkew: TimeInterval = 900) {
        self.service = service
        self.maxClockSkew = maxClockSkew
    }

    /// Verifies `request` against the secret of the access key it names.
    ///
    /// The canonical request is rebuilt from the request's own URL path and query, body, and the
    /// headers listed in `SignedHeaders` (which must include `host`).
    public func verify(
        _ request: HTTPRequest, now: Date, secretForAccessKey: (String) -> String?
    ) -> Result<VerifiedCaller, SigV4VerificationFailure> {
        guard let header = request.headers["Authorization"] else { return .failure(.missingAuthentication) }
        let authorization: ParsedAuthorization
        switch ParsedAuthorization.parse(header, service: service) {
        case .success(let parsed): authorization = parsed
        case .failure(let failure): return .failure(failure)
        }
        guard let amzDate = request.headers["X-Amz-Date"] else { return .failure(.missingDate) }
        guard let requestDate = SigV4.date(fromAMZDate: amzDate) else {
            return .failure(.malformedAuthorization(
                "Date must be in ISO-8601 'basic format'. Got '\(amzDate)'. See http://en.wikipedia.org/wiki/ISO_8601"))
        }
        guard amzDate.hasPrefix(authorization.dateStamp) else {
            return .failure(.malformedAuthorization(
                "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '\(authorization.dateStamp)' != '\(amzDate.prefix(8))', from '\(amzDate)'."))
        }
        if let skew = skewFailure(requestDate: requestDate, amzDate: amzDate, now: now) {
            return .failure(skew)
        }
        guard let secret = secretForAccessKey(authorization.accessKeyID) else {
            return .failure(.unknownAccessKey(authorization.accessKeyID))
        }

        let canonicalRequest = SigV4.canonicalRequest(
            method: request.method,
            path: request.url.path(percentEncoded: true),
            query: request.url.query(percentEncoded: true),
            headers: request.headers,
            signedHeaders: authorization.signedHeaders,
            payloadHash: SHA256.hash(request.body).hexString)
        let scope = SigV4.scope(dateStamp: authorization.dateStamp, region: authorization.region, service: service)
        let stringToSign = SigV4.stringToSign(amzDate: amzDate, scope: scope, canonicalRequest: canonicalRequest)
        let key = SigV4.signingKey(
            secretAccessKey: secret, dateStamp: authorization.dateStamp, region: authorization.region, service: service)
        let expected = SigV4.signature(signingKey: key, stringToSign: stringToSign)
        guard SigV4.constantTimeEquals(expected, authorization.signature) else {
            return .failure(.signatureMismatch)
        }
        return .success(VerifiedCaller(
            accessKeyID: authorization.accessKeyID, region: authorization.region,
            sessionToken: request.headers["X-Amz-Security-Token"]))
    }

    private func skewFailure(requestDate: Date, amzDate: String, now: Date) -> SigV4VerificationFailure? {
        let minutes = Int(maxClockSkew / 60)
        let nowText = SigV4.amzDate(now)
        if requestDate < now.addingTimeInterval(-maxClockSkew) {
            let limit = SigV4.amzDate(now.addingTimeInterval(-maxClockSkew))
            return .requestTimeTooSkewed(
                "Signature expired: \(amzDate) is now earlier than \(limit) (\(nowText) - \(minutes) min.)")
        }
        if requestDate > now.addingTimeInterval(maxClockSkew) {
            let limit = SigV4.amzDate(now.addingTimeInterval(maxClockSkew))
            return .requestTimeTooSkewed(
                "Signature not yet current: \(amzDate) is still later than \(limit) (\(nowText) + \(minutes) min.)")
        }
        return nil
    }
}

/// The parts of an `AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...` header.
struct ParsedAuthorization: Equatable {
    var accessKeyID: String
    var dateStamp: String
    var region: String
    var signedHeaders: [String]
    var signature: String

    static func parse(_ header: String, service: String) -> Result<ParsedAuthorization, SigV4VerificationFailure> {
        let trimmed = header.trimmingCharacters(in: .whitespaces)
        guard let space = trimmed.firstIndex(of: " "), trimmed[..<space] == SigV4.algorithm else {
            let algorithm = trimmed.prefix { $0 != " " }
            return .failure(.malformedAuthorization("Unsupported AWS 'algorithm': '\(algorithm.prefix(40))'."))
        }
        var parameters: [String: String] = [:]
        for component in trimmed[trimmed.index(after: space)...].split(separator: ",") {
            let pair = component.trimmingCharacters(in: .whitespaces)
            guard let equals = pair.firstIndex(of: "=") else { continue }
            parameters[String(pair[..<equals])] = String(pair[pair.index(after: equals)...])
        }
        let missing = ["Credential", "SignedHeaders", "Signature"].filter { parameters[$0] == nil }
        guard missing.isEmpty, let credential = parameters["Credential"],
            let signedHeaderList = parameters["SignedHeaders"], let signature = parameters["Signature"]
        else {
            return .failure(.malformedAuthorization(
                missing.map { "Authorization header requires '\($0)' parameter." }.joined(separator: " ")))
        }
        let scope = credential.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
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
        let signedHeaders = signedHeaderList.split(separator: ";").map { $0.lowercased() }
        guard signedHeaders.contains("host") else {
            return .failure(.malformedAuthorization("'Host' must be a 'SignedHeader' in the AWS Authorization."))
        }
        return .success(ParsedAuthorization(
            accessKeyID: scope[0], dateStamp: scope[1], region: scope[2],
            signedHeaders: signedHeaders, signature: signature))
    }
}
