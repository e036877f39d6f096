import Foundation
import KMSAPI
import Testing
@testable import KMSLocal

/// Table 2.2 of kms-semantics.md, row by row.
struct KeyStateRulesTests {
    typealias Op = KeyStateRules.Operation
    static let arn = "arn:aws:kms:us-east-1:111122223333:key/k"

    /// (operation, state, expected error type, expected message or nil).
    static let table: [(Op, KeyState, String?, String?)] = [
        (.describeKey, .enabled, nil, nil), (.describeKey, .disabled, nil, nil),
        (.describeKey, .pendingDeletion, nil, nil), (.describeKey, .unavailable, nil, nil),
        (.listAliases, .pendingDeletion, nil, nil), (.listResourceTags, .unavailable, nil, nil),
        (.listGrants, .pendingDeletion, nil, nil), (.getKeyLastUsage, .pendingDeletion, nil, nil),
        (.disableKey, .enabled, nil, nil), (.disableKey, .disabled, nil, nil), (.disableKey, .unavailable, nil, nil),
        (.disableKey, .pendingDeletion, "KMSInvalidStateException", "\(arn) is pending deletion."),
        (.enableKey, .enabled, nil, nil), (.enableKey, .disabled, nil, nil), (.enableKey, .unavailable, nil, nil),
        (.enableKey, .pendingDeletion, "KMSInvalidStateException", "\(arn) is pending deletion."),
        (.scheduleKeyDeletion, .enabled, nil, nil), (.scheduleKeyDeletion, .disabled, nil, nil),
        (.scheduleKeyDeletion, .unavailable, nil, nil),
        (.scheduleKeyDeletion, .pendingDeletion, "KMSInvalidStateException", "\(arn) is pending deletion."),
        (.cancelKeyDeletion, .enabled, "KMSInvalidStateException", "\(arn) is not pending deletion."),
        (.cancelKeyDeletion, .disabled, "KMSInvalidStateException", "\(arn) is not pending deletion."),
        (.cancelKeyDeletion, .unavailable, "KMSInvalidStateException", "\(arn) is not pending deletion."),
        (.cancelKeyDeletion, .pendingDeletion, nil, nil),
        (.tagResource, .enabled, nil, nil), (.tagResource, .disabled, nil, nil), (.tagResource, .unavailable, nil, nil),
        (.tagResource, .pendingDeletion, "KMSInvalidStateException", "\(arn) is pending deletion."),
        (.createAlias, .unavailable, nil, nil),
        (.createAlias, .pendingDeletion, "KMSInvalidStateException", "\(arn) is pending deletion."),
        (.createGrant, .enabled, nil, nil), (.createGrant, .unavailable, nil, nil),
        (.createGrant, .disabled, "DisabledException", "\(arn) is disabled."),
        (.createGrant, .pendingDeletion, "KMSInvalidStateException", "\(arn) is pending deletion."),
        (.encrypt, .enabled, nil, nil),
        (.encrypt, .disabled, "DisabledException", "\(arn) is disabled."),
        (.encrypt, .pendingDeletion, "KMSInvalidStateException", "\(arn) is pending deletion."),
        (.encrypt, .unavailable, "KMSInvalidStateException", "\(arn) is unavailable."),
        (.decrypt, .disabled, "DisabledException", "\(arn) is disabled."),
        (.decrypt, .unavailable, "KMSInvalidStateException", "\(arn) is unavailable."),
    ]

    @Test(arguments: table.indices)
    func answersAsTheKeyStateTableSays(row: Int) {
        let (operation, state, type, message) = Self.table[row]
        let error = KeyStateRules.check(operation, state: state, arn: Self.arn)
        #expect(error?.type == type, "\(operation) in \(state)")
        #expect(error?.message == message, "\(operation) in \(state)")
    }
}
