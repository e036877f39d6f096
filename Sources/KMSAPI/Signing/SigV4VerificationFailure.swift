import Foundation

/// The caller a verified request was signed by.
public struct VerifiedCaller: Sendable, Equatable {
    /// The access key named in the credential scope.
    public var accessKeyID: String
    /// The region named in the credential scope.
    public var region: String
    /// The `X-Amz-Security-Token` sent with the request, if any.
    public var sessionToken: String?

    /// Creates a caller record from the verified credential scope.
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
