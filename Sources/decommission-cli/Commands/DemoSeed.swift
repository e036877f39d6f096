import Foundation
import KMSLocal

/// The demo's kms-local seed: a CONNECTED CloudHSM store with a dozen keys (aliases, a grant, tags,
/// one key used two days ago) beside a few ordinary keys, built with kms-local's seed model.
enum DemoSeed {
    static let storeID = "cks-d3c0a1e55e5a1e001"
    static let storeName = "legacy-payments-hsm"
    static let clusterID = "cluster-2demo7abcd1"

    /// The key the plan flags as recently used, which the demo then accepts.
    static let recentlyUsedKeyID = "0d3e0001-0000-4000-8000-00000000000a"

    /// Builds the seed around `now`.
    static func make(now: Date) -> SeedFile {
        let day: TimeInterval = 86_400
        var keys: [SeedKey] = []
        for index in 1...12 {
            let id = String(format: "0d3e0001-0000-4000-8000-%012x", index)
            var key = SeedKey(
                id: id, storeID: storeID, description: "payments tokenisation key \(index)",
                creationDate: now.addingTimeInterval(-Double(200 + index) * day))
            if index <= 4 { key.aliases = ["alias/payments-\(index)"] }
            if index == 3 {
                key.grants = [SeedGrant(name: "legacy-batch", granteePrincipal: "arn:aws:iam::111122223333:role/legacy-batch", operations: ["Decrypt"])]
            }
            if index == 5 { key.state = "Disabled" }
            if index == 7 { key.lastUsage = SeedUsage(operation: "Decrypt", timestamp: now.addingTimeInterval(-120 * day)) }
            key.tags = [SeedTag(key: "team", value: "payments")]
            keys.append(key)
        }
        // Key 10 was used two days ago: the plan blocks on it until someone accepts it.
        keys[9].lastUsage = SeedUsage(operation: "Decrypt", timestamp: now.addingTimeInterval(-2 * day))
        for index in 1...4 {
            keys.append(
                SeedKey(
                    id: String(format: "0a0a0002-0000-4000-8000-%012x", index), description: "ordinary AWS_KMS key \(index)",
                    creationDate: now.addingTimeInterval(-50 * day), aliases: ["alias/app-\(index)"]))
        }
        let store = SeedStore(
            id: storeID, name: storeName, type: "AWS_CLOUDHSM", clusterID: clusterID, connectionState: "CONNECTED",
            creationDate: now.addingTimeInterval(-900 * day), connectSeconds: 1_200, disconnectSeconds: 600)
        return SeedFile(
            accountID: "111122223333", region: "us-east-1", trackingStartDate: now.addingTimeInterval(-400 * day),
            stores: [store], keys: keys)
    }

    /// Encodes the seed around `now` as kms-local reads it.
    static func encoded(now: Date) throws -> Data {
        try SeedFile.makeEncoder().encode(make(now: now))
    }
}
