import Foundation
import KMSAPI

/// Builds the request authenticator from the configured credentials.
///
/// Interim until `SigV4Verifier` lands in KMSAPI: this checks that an AWS4-HMAC-SHA256
/// Authorization header names a known access key, but does not yet verify the signature.
enum SignatureCheck {
    static func make(_ configuration: KMSLocalConfiguration) -> RequestAuthenticator {
        let secrets = configuration.credentials
        return RequestAuthenticator { request, _ in
            guard let authorization = request.headers["Authorization"] else { return .missingAuthentication }
            guard authorization.hasPrefix("AWS4-HMAC-SHA256 "),
                let credentialRange = authorization.range(of: "Credential=")
            else { return .malformedAuthorization("Authorization header requires 'Credential' parameter.") }
            let accessKey = authorization[credentialRange.upperBound...].prefix { $0 != "/" && $0 != "," }
            return secrets[String(accessKey)] == nil ? .unknownAccessKey : nil
        }
    }
}
