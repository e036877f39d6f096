import Foundation

/// Checks the SigV4 signature of an incoming request, as the KMS emulator receives it.
public struct SigV4Verifier: Sendable {
    /// The service every credential scope must name, for example `kms`.
    public let service: String
    /// How far the request time may be from now, in seconds (AWS allows 15 minutes).
    public let maxClockSkew: TimeInterval
    private let keyCache = SigningKeyCache()

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
        let authorization: SigV4AuthorizationHeader
        switch SigV4AuthorizationHeader.parse(header, service: service) {
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
        let key = keyCache.key(
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
