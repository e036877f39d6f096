import Foundation
import KMSAPI

/// Compares live KMS state with the plan (read-only): the store, its keys, account and Region.
struct DriftScanner: Sendable {
    let kms: any KMSGateway
    let now: @Sendable () -> Date

    /// Checks the store is the one planned: present, same type, cluster or proxy.
    func checkStore(_ target: PlanTarget) async throws -> (CustomKeyStoresListEntry?, [DriftItem]) {
        guard let store = try await kms.describeStoreIfPresent(target.keyStoreID) else {
            return (nil, [DriftItem(kind: .storeMissing, expected: "store \(target.keyStoreID)", found: "CustomKeyStoreNotFoundException")])
        }
        var items: [DriftItem] = []
        let type = store.customKeyStoreType ?? .cloudHSM
        if type != target.keyStoreType {
            items.append(DriftItem(kind: .storeTypeChanged, expected: target.keyStoreType.rawValue, found: type.rawValue))
        }
        if target.isCloudHSM, store.cloudHsmClusterID != target.cloudHsmClusterID {
            items.append(
                DriftItem(kind: .storeClusterChanged, expected: target.cloudHsmClusterID ?? "none", found: store.cloudHsmClusterID ?? "none"))
        }
        if !target.isCloudHSM, let planned = target.xksProxy {
            let live = store.xksProxyConfiguration
            let expected = [planned.connectivity?.rawValue, planned.uriEndpoint, planned.uriPath, planned.vpcEndpointServiceName]
            let found = [live?.connectivity?.rawValue, live?.uriEndpoint, live?.uriPath, live?.vpcEndpointServiceName]
            if expected != found {
                items.append(
                    DriftItem(
                        kind: .storeProxyChanged, expected: expected.map { $0 ?? "-" }.joined(separator: " "),
                        found: found.map { $0 ?? "-" }.joined(separator: " ")))
            }
        }
        return (store, items)
    }

    /// Lists the store's keys live with the planner's own scan (paged ListKeys, concurrent
    /// DescribeKey), sorted by key id.
    func liveKeys(storeID: String) async throws -> [KeyMetadata] {
        try await KeyScanner(kms: kms, now: now, namesPlanningPermissions: false).scan(storeID: storeID) { _ in () }.map(\.metadata)
    }

    /// The full rescan: store, new keys, account and Region, cancelled deletions, re-enabled keys;
    /// `beforeDisconnect` also demands that no key is left in the store.
    func rescan(_ context: StepContext, beforeDisconnect: Bool) async throws -> [DriftItem] {
        let target = context.target
        let (store, storeItems) = try await checkStore(target)
        var items = storeItems
        guard store != nil else { return items }
        let planned = Dictionary(context.keys.map { ($0.keyID, $0) }, uniquingKeysWith: { first, _ in first })
        for key in try await liveKeys(storeID: target.keyStoreID) {
            items += arnDrift(key, target: target)
            guard let plannedKey = planned[key.keyID] else {
                items.append(
                    DriftItem(kind: .newKey, keyID: key.keyID, expected: "no key outside the plan", found: "key in state \(key.keyState?.rawValue ?? "unknown")"))
                continue
            }
            if beforeDisconnect {
                let date = key.deletionDate.map { " (DeletionDate \(ISO8601DateFormatter().string(from: $0)))" } ?? ""
                items.append(
                    DriftItem(
                        kind: .keyStillPresent, keyID: key.keyID, expected: "deleted before disconnect",
                        found: "\(key.keyState?.rawValue ?? "unknown")\(date)"))
                continue
            }
            items += keyDrift(key, planned: plannedKey, context: context)
        }
        return items
    }

    /// Drift of a planned key's state: a cancelled deletion or a re-enabled key.
    func keyDrift(_ key: KeyMetadata, planned: PlannedKey, context: StepContext) -> [DriftItem] {
        let state = key.keyState?.rawValue ?? "unknown"
        if context.scheduledKeys.contains(key.keyID), key.keyState != .pendingDeletion {
            return [DriftItem(kind: .deletionCancelled, keyID: key.keyID, expected: "PendingDeletion", found: state)]
        }
        if context.disabledAt[key.keyID] != nil, key.keyState == .enabled {
            return [DriftItem(kind: .keyReEnabled, keyID: key.keyID, expected: "Disabled", found: state)]
        }
        return []
    }

    /// Account or Region of a key's ARN differing from the plan's.
    func arnDrift(_ key: KeyMetadata, target: PlanTarget) -> [DriftItem] {
        guard let arn = key.arn else { return [] }
        let parts = arn.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 6 else { return [] }
        var items: [DriftItem] = []
        if parts[3] != target.region {
            items.append(DriftItem(kind: .regionChanged, keyID: key.keyID, expected: target.region, found: parts[3]))
        }
        if let account = target.accountID, parts[4] != account {
            items.append(DriftItem(kind: .accountChanged, keyID: key.keyID, expected: account, found: parts[4]))
        }
        return items
    }
}
