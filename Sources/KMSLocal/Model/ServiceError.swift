import Foundation
import KMSAPI

/// An error answer of the emulator in AWS's terms: the `__type`, the message and the HTTP status.
///
/// Messages follow AWS's templates where the reference records them (section 2.2 of
/// kms-semantics.md); the others are written in the same style.
struct ServiceError: Error, Sendable, Equatable {
    let type: String
    let message: String
    let status: Int

    init(_ type: String, _ message: String, status: Int = 400) {
        self.type = type
        self.message = message
        self.status = status
    }

    // MARK: - Keys

    static func keyNotFound(arn: String) -> ServiceError {
        ServiceError("NotFoundException", "Key '\(arn)' does not exist")
    }
    static func aliasNotFound(aliasArn: String) -> ServiceError {
        ServiceError("NotFoundException", "Alias \(aliasArn) is not found.")
    }
    static func invalidKeyID(_ raw: String) -> ServiceError {
        ServiceError("NotFoundException", "Invalid keyId \(raw)")
    }
    static func invalidArn(_ raw: String) -> ServiceError {
        ServiceError("InvalidArnException", "Invalid arn \(raw)")
    }
    static func pendingDeletion(arn: String) -> ServiceError {
        ServiceError("KMSInvalidStateException", "\(arn) is pending deletion.")
    }
    static func notPendingDeletion(arn: String) -> ServiceError {
        ServiceError("KMSInvalidStateException", "\(arn) is not pending deletion.")
    }
    static func unavailable(arn: String) -> ServiceError {
        ServiceError("KMSInvalidStateException", "\(arn) is unavailable.")
    }
    static func disabled(arn: String) -> ServiceError {
        ServiceError("DisabledException", "\(arn) is disabled.")
    }

    // MARK: - Custom key stores

    static func storeNotFound(_ reference: String) -> ServiceError {
        ServiceError("CustomKeyStoreNotFoundException", "Custom key store '\(reference)' does not exist in this account and Region.")
    }
    static func storeInvalidState(id: String, state: ConnectionState, operation: String) -> ServiceError {
        ServiceError(
            "CustomKeyStoreInvalidStateException",
            "\(operation) is not allowed while custom key store \(id) is in the \(state.rawValue) connection state.")
    }
    static func storeHasKeys(id: String) -> ServiceError {
        ServiceError(
            "CustomKeyStoreHasCMKsException",
            "Custom key store \(id) contains KMS keys; schedule their deletion and wait for the waiting period to end before deleting it.")
    }

    // MARK: - Protocol

    static func validation(_ detail: String) -> ServiceError {
        ServiceError("ValidationException", "1 validation error detected: \(detail)")
    }
    static func missingMember(_ member: String) -> ServiceError {
        validation("Value null at '\(member)' failed to satisfy constraint: Member must not be null")
    }
    static func tooSmall(_ member: String, value: Int, minimum: Int) -> ServiceError {
        validation("Value '\(value)' at '\(member)' failed to satisfy constraint: Member must have value greater than or equal to \(minimum)")
    }
    static func tooLarge(_ member: String, value: Int, maximum: Int) -> ServiceError {
        validation("Value '\(value)' at '\(member)' failed to satisfy constraint: Member must have value less than or equal to \(maximum)")
    }
    static func emptyString(_ member: String) -> ServiceError {
        validation("Value '' at '\(member)' failed to satisfy constraint: Member must have length greater than or equal to 1")
    }
    static func invalidMarker() -> ServiceError {
        ServiceError("InvalidMarkerException", "The marker is invalid; pass the NextMarker of a previous response unchanged.")
    }
    static let throttling = ServiceError(
        "ThrottlingException", "You have exceeded the rate at which you may call KMS. Reduce the frequency of your calls.")
    static let internalFailure = ServiceError(
        "KMSInternalException", "The request was rejected because an internal exception occurred. The request can be retried.",
        status: 500)
}
