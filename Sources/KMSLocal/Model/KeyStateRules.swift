import Foundation
import KMSAPI

/// The key-state table 2.2 of kms-semantics.md as a pure function: may an operation run on a key
/// in a given (displayed) state, and if not, which AWS error does it get.
enum KeyStateRules {
    /// The operations whose outcome depends on the key state.
    enum Operation: String, Sendable, CaseIterable {
        case describeKey, listAliases, listResourceTags, listGrants, getKeyLastUsage
        case disableKey, enableKey, scheduleKeyDeletion, cancelKeyDeletion
        case tagResource, createAlias, createGrant, encrypt, decrypt, generateDataKey
    }

    /// Returns nil when the operation may proceed, else the error AWS answers.
    static func check(_ operation: Operation, state: KeyState, arn: String) -> ServiceError? {
        switch operation {
        case .describeKey, .listAliases, .listResourceTags, .listGrants, .getKeyLastUsage:
            return nil
        case .disableKey, .enableKey, .scheduleKeyDeletion, .tagResource, .createAlias:
            return state == .pendingDeletion ? .pendingDeletion(arn: arn) : nil
        case .cancelKeyDeletion:
            return state == .pendingDeletion ? nil : .notPendingDeletion(arn: arn)
        case .createGrant:
            if state == .disabled { return .disabled(arn: arn) }
            return state == .pendingDeletion ? .pendingDeletion(arn: arn) : nil
        case .encrypt, .decrypt, .generateDataKey:
            switch state {
            case .enabled: return nil
            case .disabled: return .disabled(arn: arn)
            case .pendingDeletion: return .pendingDeletion(arn: arn)
            case .unavailable: return .unavailable(arn: arn)
            default: return ServiceError("KMSInvalidStateException", "\(arn) is \(state.rawValue).")
            }
        }
    }
}
