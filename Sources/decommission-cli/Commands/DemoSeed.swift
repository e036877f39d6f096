import Foundation

/// The demo's kms-local seed: a CONNECTED CloudHSM store with a dozen keys (aliases, a grant, tags,
/// one key used two days ago) beside a few ordinary keys. Written in kms-local's seed format.
struct DemoSeed: Encodable {
    static let storeID = "cks-d3c0a1e55e5a1e001"
    static let storeName = "legacy-payments-hsm"
    static let clusterID = "cluster-2demo7abcd1"

    struct Store: Encodable {
        var id = DemoSeed.storeID
        var name = DemoSeed.storeName
        var type = "AWS_CLOUDHSM"
        var clusterId = DemoSeed.clusterID
        var connectionState = "CONNECTED"
        var creationDate: Date
        var connectSeconds = 1_200.0
        var disconnectSeconds = 600.0
    }
    struct Grant: Encodable {
        var name: String
        var granteePrincipal: String
        var operations: [String]
    }
    struct Tag: Encodable {
        var key: String
        var value: String
    }
    struct Usage: Encodable {
        var operation: String
        var timestamp: Date
    }
    struct Key: Encodable {
        var id: String
        var storeId: String?
        var state: String?
        var description: String
        var creationDate: Date
        var aliases: [String]?
        var grants: [Grant]?
        var tags: [Tag]?
        var lastUsage: Usage?
    }

    var seedVersion = 1
    var accountId = "111122223333"
    var region = "us-east-1"
    var trackingStartDate: Date
    var stores: [Store]
    var keys: [Key]

    /// The key the plan flags as recently used, which the demo then accepts.
    static let recentlyUsedKeyID = "0d3e0001-0000-4000-8000-00000000000a"

    /// Builds the seed around `now`.
    static func make(now: Date) -> DemoSeed {
        let day: TimeInterval = 86_400
        var keys: [Key] = []
        for index in 1...12 {
            let id = String(format: "0d3e0001-0000-4000-8000-%012x", index)
            var key = Key(
                id: id, storeId: storeID, description: "payments tokenisation key \(index)",
                creationDate: now.addingTimeInterval(-Double(200 + index) * day))
            if index <= 4 { key.aliases = ["alias/payments-\(index)"] }
            if index == 3 {
                key.grants = [Grant(name: "legacy-batch", granteePrincipal: "arn:aws:iam::111122223333:role/legacy-batch", operations: ["Decrypt"])]
            }
            if index == 5 { key.state = "Disabled" }
            if index == 7 { key.lastUsage = Usage(operation: "Decrypt", timestamp: now.addingTimeInterval(-120 * day)) }
            key.tags = [Tag(key: "team", value: "payments")]
            keys.append(key)
        }
        // Key 10 was used two days ago: the plan blocks on it until someone accepts it.
        keys[9].lastUsage = Usage(operation: "Decrypt", timestamp: now.addingTimeInterval(-2 * day))
        for index in 1...4 {
            keys.append(
                Key(
                    id: String(format: "0a0a0002-0000-4000-8000-%012x", index), description: "ordinary AWS_KMS key \(index)",
                    creationDate: now.addingTimeInterval(-50 * day), aliases: ["alias/app-\(index)"]))
        }
        return DemoSeed(
            trackingStartDate: now.addingTimeInterval(-400 * day),
            stores: [Store(creationDate: now.addingTimeInterval(-900 * day))], keys: keys)
    }

    /// Encodes the seed as kms-local reads it (ISO-8601 dates).
    func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return try encoder.encode(self)
    }
}
