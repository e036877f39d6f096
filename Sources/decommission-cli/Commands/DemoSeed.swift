import Foundation
import KMSLocal

/// The demo's kms-local seed: a CONNECTED CloudHSM store with a dozen keys (aliases, a grant, tags,
/// one key used two days ago) beside a few ordinary keys, built with kms-local's seed model.
enum DemoSeed {
    static let storeID = "cks-d3c0a1e55e5a1e001"
    static let storeName = "legacy-payments-hsm"
    static let clusterID = "cluster-2demo7abcd1"

    /// The second store: its plan observes, and an application still uses one of its keys.
    static let screamStoreID = "cks-d3c0a1e55e5a1e002"
    static let screamStoreName = "legacy-reports-hsm"
    /// The key the reporting application still needs.
    static let screamKeyID = "0d3e0002-0000-4000-8000-000000000001"
    /// The application's access key and the role kms-local names for it in CloudTrail.
    static let applicationAccessKeyID = "AKIDREPORTSAPP"
    static let applicationSecret = "reports-app-secret"
    static let applicationRole = "arn:aws:iam::111122223333:role/monthly-reports"

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
        for index in 1...2 {
            keys.append(
                SeedKey(
                    id: String(format: "0d3e0002-0000-4000-8000-%012x", index), storeID: screamStoreID,
                    description: "monthly reports key \(index)", creationDate: now.addingTimeInterval(-300 * day)))
        }
        let store = SeedStore(
            id: storeID, name: storeName, type: "AWS_CLOUDHSM", clusterID: clusterID, connectionState: "CONNECTED",
            creationDate: now.addingTimeInterval(-900 * day), connectSeconds: 1_200, disconnectSeconds: 600)
        let reports = SeedStore(
            id: screamStoreID, name: screamStoreName, type: "AWS_CLOUDHSM", clusterID: "cluster-3demo8efgh2", connectionState: "CONNECTED",
            creationDate: now.addingTimeInterval(-700 * day), connectSeconds: 1_200, disconnectSeconds: 600)
        return SeedFile(
            accountID: "111122223333", region: "us-east-1", trackingStartDate: now.addingTimeInterval(-400 * day),
            stores: [store, reports], keys: keys, principals: [applicationAccessKeyID: applicationRole])
    }

    /// Encodes the seed around `now` as kms-local reads it.
    static func encoded(now: Date) throws -> Data {
        try SeedFile.makeEncoder().encode(make(now: now))
    }
}
