import Foundation
import KMSAPI

/// Why a request failed authentication, in the emulator's own terms.
enum AuthenticationFailure: Sendable, Equatable {
    case missingAuthentication
    case malformedAuthorization(String)
    case unknownAccessKey
    case signatureMismatch
    case requestTimeTooSkewed(String)
    case missingDate

    /// The AWS error answer for the failure. AWS JSON services answer these with HTTP 400 (the
    /// botocore model does not state a status for them), so all use 400.
    var serviceError: ServiceError {
        switch self {
        case .missingAuthentication:
            return ServiceError("MissingAuthenticationTokenException", "Missing Authentication Token")
        case .malformedAuthorization(let detail):
            return ServiceError("IncompleteSignatureException", detail)
        case .unknownAccessKey:
            return ServiceError("UnrecognizedClientException", "The security token included in the request is invalid.")
        case .signatureMismatch:
            return ServiceError(
                "InvalidSignatureException",
                "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.")
        case .requestTimeTooSkewed(let detail):
            return ServiceError("InvalidSignatureException", detail)
        case .missingDate:
            return ServiceError(
                "IncompleteSignatureException",
                "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")
        }
    }
}

/// The seam through which requests are authenticated: given a request and the wall-clock time,
/// answers nil when the caller may proceed.
struct RequestAuthenticator: Sendable {
    let authenticate: @Sendable (HTTPRequest, Date) -> AuthenticationFailure?
}
