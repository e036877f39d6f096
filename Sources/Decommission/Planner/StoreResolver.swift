import Foundation
import KMSAPI

/// Finds the custom key store a plan retires, by id (`cks-...`) or by exact name (read-only).
public struct StoreResolver: Sendable {
    private let kms: any KMSGateway

    /// Creates a resolver calling `DescribeCustomKeyStores` through `kms`.
    public init(kms: any KMSGateway) { self.kms = kms }

    /// Returns the store named by `keyStore`.
    /// - Throws: `DecommissionError` with `plan.store-not-found` (none matches) or
    ///   `plan.ambiguous-store-name` (a name matches several); `KMSError` for other KMS failures.
    public func resolve(_ keyStore: String, region: String) async throws -> CustomKeyStoresListEntry {
        if Self.looksLikeID(keyStore) {
            do {
                let page = try await PlannerErrors.call(DescribeCustomKeyStores.name) {
                    try await kms.describeStores(DescribeCustomKeyStoresRequest(customKeyStoreID: keyStore))
                }
                if let store = page.customKeyStores?.first(where: { $0.customKeyStoreID == keyStore }) { return store }
            } catch let error as KMSError where error.code == .keyStoreNotFound {
                // Fall through to the not-found error below, which names the Region.
            }
            throw notFound(keyStore, region: region)
        }
        // Names are matched exactly over every page, so a name that differs only in case, or a
        // prefix, never selects a store by accident.
        var matches: [CustomKeyStoresListEntry] = []
        try await PlannerErrors.call(DescribeCustomKeyStores.name) {
            try await kms.forEachItem(DescribeCustomKeyStores.self, DescribeCustomKeyStoresRequest(), page: kms.describeStores) { store in
                if store.customKeyStoreName == keyStore { matches.append(store) }
            }
        }
        switch matches.count {
        case 0:
            throw notFound(keyStore, region: region)
        case 1:
            return matches[0]
        default:
            let ids = matches.compactMap(\.customKeyStoreID).sorted().joined(separator: ", ")
            throw DecommissionError(
                code: .ambiguousStoreName,
                message: "Key store name '\(keyStore)' matches \(matches.count) stores in \(region) (\(ids)); name the store by its id instead.")
        }
    }

    /// Whether the argument is a store id rather than a name.
    static func looksLikeID(_ value: String) -> Bool {
        value.hasPrefix("cks-") && value.count > 4 && value.dropFirst(4).allSatisfy { $0.isHexDigit }
    }

    private func notFound(_ keyStore: String, region: String) -> DecommissionError {
        DecommissionError(
            code: .storeNotFound,
            message: "No custom key store '\(keyStore)' exists in \(region); check the id or name, the Region and the account (decommission list-key-stores).")
    }
}
