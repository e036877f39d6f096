import Foundation
import KMSAPI

/// Builds the request authenticator: SigV4 verification (service `kms`, or `cloudtrail` for a
/// CloudTrail target; 15 minutes of allowed skew against the wall clock, not the advanced
/// emulator clock) with the configured credentials.
enum SignatureCheck {
    static func make(_ configuration: KMSLocalConfiguration) -> RequestAuthenticator {
        let secrets = configuration.credentials
        let tokens = configuration.sessionTokens
        let kms = SigV4Verifier(service: "kms")
        let cloudTrail = SigV4Verifier(service: CloudTrailClient.signingName)
        return RequestAuthenticator { request, now in
            let verifier = CloudTrailRoute.handles(request) ? cloudTrail : kms
            switch verifier.verify(request, now: now, secretForAccessKey: { secrets[$0] }) {
            case .success(let caller):
                // Temporary credentials are valid only with their session token, as in AWS.
                guard let expected = tokens[caller.accessKeyID] else { return nil }
                return caller.sessionToken == expected ? nil : .unknownAccessKey
            case .failure(let failure): return AuthenticationFailure(failure)
            }
        }
    }
}

extension AuthenticationFailure {
    /// Maps the verifier's failure to the emulator's.
    init(_ failure: SigV4VerificationFailure) {
        switch failure {
        case .missingAuthentication: self = .missingAuthentication
        case .malformedAuthorization(let detail): self = .malformedAuthorization(detail)
        case .unknownAccessKey: self = .unknownAccessKey
        case .signatureMismatch: self = .signatureMismatch
        case .requestTimeTooSkewed(let detail): self = .requestTimeTooSkewed(detail)
        case .missingDate: self = .missingDate
        }
    }
}
