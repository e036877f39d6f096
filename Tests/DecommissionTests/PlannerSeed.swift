import Foundation
import KMSAPI
import TestSupport

/// A seeded account for the planner's tests on the one `FakeKMS`: a CloudHSM store with three
/// keys among keys of another store and ordinary keys.
enum PlannerSeed {
    static let storeID = "cks-1234567890abcdef0"
    static let otherStoreID = "cks-0fedcba987654321f"
    static let trackingStart = Date(timeIntervalSince1970: 1_735_689_600)
    static let now = Date(timeIntervalSince1970: 1_740_830_400)

    static func key(_ id: String, store: String?, state: KeyState = .enabled, created: Date = trackingStart.addingTimeInterval(86_400), deletion: Date? = nil) -> KeyMetadata {
        KeyMetadata(
            keyID: id, awsAccountID: "111122223333", arn: "arn:aws:kms:us-east-1:111122223333:key/\(id)", creationDate: created,
            enabled: state == .enabled, keyState: state, deletionDate: deletion, origin: store == nil ? "AWS_KMS" : "AWS_CLOUDHSM",
            customKeyStoreID: store)
    }

    static func state(ordinaryKeys: Int = 5) -> FakeKMSAccount {
        var state = FakeKMSAccount()
        state.stores = [
            CustomKeyStoresListEntry(
                customKeyStoreID: storeID, customKeyStoreName: "prod-hsm", cloudHsmClusterID: "cluster-1a23b4cdefg",
                connectionState: .connected, customKeyStoreType: "AWS_CLOUDHSM"),
            CustomKeyStoresListEntry(
                customKeyStoreID: otherStoreID, customKeyStoreName: "other-hsm", cloudHsmClusterID: "cluster-9z",
                connectionState: .connected, customKeyStoreType: "AWS_CLOUDHSM"),
        ]
        state.keys = (0..<ordinaryKeys).map { key(String(format: "00000000-0000-4000-8000-%012d", $0), store: nil) }
        state.keys.insert(key("aaaa0001-0000-4000-8000-000000000001", store: storeID), at: min(1, state.keys.count))
        state.keys.append(key("bbbb0002-0000-4000-8000-000000000002", store: otherStoreID))
        state.keys.append(key("aaaa0002-0000-4000-8000-000000000002", store: storeID, state: .disabled, created: trackingStart.addingTimeInterval(-100 * 86_400)))
        state.keys.append(key("aaaa0003-0000-4000-8000-000000000003", store: storeID, state: .pendingDeletion, deletion: now.addingTimeInterval(3 * 86_400)))
        state.aliases = [
            AliasListEntry(aliasName: "alias/payments", targetKeyID: "aaaa0001-0000-4000-8000-000000000001"),
            AliasListEntry(aliasName: "alias/a-second", targetKeyID: "aaaa0001-0000-4000-8000-000000000001"),
            AliasListEntry(aliasName: "alias/other", targetKeyID: "bbbb0002-0000-4000-8000-000000000002"),
            AliasListEntry(aliasName: "alias/aws/ebs"),
        ]
        state.grants = ["aaaa0001-0000-4000-8000-000000000001": 3]
        state.tags = ["aaaa0002-0000-4000-8000-000000000002": [Tag(tagKey: "team", tagValue: "payments")]]
        state.usage = ["aaaa0001-0000-4000-8000-000000000001": KeyLastUsage(operation: "Encrypt", timestamp: now.addingTimeInterval(-2 * 86_400), kmsRequestID: "r-1")]
        state.trackingStart = trackingStart
        return state
    }
}
