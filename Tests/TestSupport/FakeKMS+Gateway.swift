import Decommission
import Foundation
import KMSAPI

extension FakeKMS {
    public func describeStores(_ request: DescribeCustomKeyStoresRequest) async throws -> DescribeCustomKeyStoresResponse {
        let id = request.customKeyStoreID ?? ""
        try await log("DescribeCustomKeyStores", id)
        if request.customKeyStoreID != nil, stores[id] == nil { throw storeNotFound() }
        _ = try await finish("DescribeCustomKeyStores", id)
        let entries = request.customKeyStoreID == nil ? storeOrder.compactMap { stores[$0]?.entry } : [stores[id]?.entry].compactMap { $0 }
        return DescribeCustomKeyStoresResponse(customKeyStores: entries, truncated: false)
    }

    public func listKeys(_ request: ListKeysRequest) async throws -> ListKeysResponse {
        try await log("ListKeys", "")
        let start = Int(request.marker ?? "0") ?? 0
        if start > 0 {
            await waitForDescribeIfHeld()
            describesBeforeSecondPage = describesBeforeSecondPage ?? describesServed
        }
        _ = try await finish("ListKeys", "")
        let ids = keyOrder.filter { keys[$0] != nil }
        let end = min(ids.count, start + (request.limit ?? 100))
        let page = ids[min(start, end)..<end].map { KeyListEntry(keyID: $0, keyArn: keys[$0]?.arn) }
        return ListKeysResponse(keys: page, nextMarker: end < ids.count ? String(end) : nil, truncated: end < ids.count)
    }

    public func listAliases(_ request: ListAliasesRequest) async throws -> ListAliasesResponse {
        try await log("ListAliases", "")
        return ListAliasesResponse(aliases: account.aliases, truncated: false)
    }

    public func listGrants(_ request: ListGrantsRequest) async throws -> ListGrantsResponse {
        try await log("ListGrants", request.keyID)
        let count = account.grants[request.keyID] ?? 0
        // One grant per page, so paging is exercised.
        let start = Int(request.marker ?? "0") ?? 0
        let end = min(count, start + 1)
        let grants = (start..<end).map { GrantListEntry(keyID: request.keyID, grantID: "g\($0)") }
        return ListGrantsResponse(grants: grants, nextMarker: end < count ? String(end) : nil, truncated: end < count)
    }

    public func listResourceTags(_ request: ListResourceTagsRequest) async throws -> ListResourceTagsResponse {
        try await log("ListResourceTags", request.keyID)
        return ListResourceTagsResponse(tags: account.tags[request.keyID] ?? [], truncated: false)
    }

    public func describeKey(_ keyID: String) async throws -> KeyMetadata {
        try await log("DescribeKey", keyID)
        describesInFlight += 1
        maxDescribesInFlight = max(maxDescribesInFlight, describesInFlight)
        // Let other calls in: the scanner's concurrency shows in the in-flight count.
        await Task.yield()
        describesInFlight -= 1
        describesServed += 1
        let waiters = pageWaiters
        pageWaiters = []
        waiters.forEach { $0.resume() }
        guard let key = keys[keyID], !account.vanishOnDescribe.contains(keyID) else { throw notFound() }
        _ = try await finish("DescribeKey", keyID)
        return metadata(key)
    }

    public func keyLastUsage(_ keyID: String) async throws -> GetKeyLastUsageResponse {
        try await log("GetKeyLastUsage", keyID)
        guard let key = keys[keyID] else { throw notFound() }
        let usage = account.usage[keyID] ?? KeyLastUsage(operation: key.lastUsed == nil ? nil : "Decrypt", timestamp: key.lastUsed)
        return GetKeyLastUsageResponse(keyID: keyID, keyLastUsage: usage, trackingStartDate: account.trackingStart, keyCreationDate: key.creationDate)
    }

    public func connectStore(_ id: String) async throws -> String? {
        try await log("ConnectCustomKeyStore", id)
        guard stores[id] != nil else { throw storeNotFound() }
        stores[id]?.entry.connectionState = .connecting
        stores[id]?.readyAt = time.now().addingTimeInterval(10)
        stores[id]?.target = .connected
        for (keyID, key) in keys where key.storeID == id && key.state == .unavailable { keys[keyID]?.state = .enabled }
        return try await finish("ConnectCustomKeyStore", id)
    }

    public func disconnectStore(_ id: String) async throws -> String? {
        try await log("DisconnectCustomKeyStore", id)
        guard stores[id] != nil else { throw storeNotFound() }
        if keys.values.contains(where: { $0.storeID == id }) { violations.append("disconnected \(id) while it held keys") }
        stores[id]?.entry.connectionState = .disconnecting
        stores[id]?.readyAt = time.now().addingTimeInterval(10)
        stores[id]?.target = .disconnected
        return try await finish("DisconnectCustomKeyStore", id)
    }

    public func deleteStore(_ id: String) async throws -> String? {
        try await log("DeleteCustomKeyStore", id)
        guard let store = stores[id] else { throw storeNotFound() }
        if keys.values.contains(where: { $0.storeID == id }) {
            throw KMSError(code: .keyStoreHasKeys, message: "Store has keys.", awsErrorType: "CustomKeyStoreHasCMKsException")
        }
        guard store.entry.connectionState == .disconnected else {
            throw KMSError(code: .keyStoreInvalidState, message: "Store is not disconnected.", awsErrorType: "CustomKeyStoreInvalidStateException")
        }
        stores[id] = nil
        return try await finish("DeleteCustomKeyStore", id)
    }

    public func disableKey(_ keyID: String) async throws -> String? {
        try await log("DisableKey", keyID)
        guard keys[keyID] != nil else { throw notFound() }
        keys[keyID]?.state = .disabled
        return try await finish("DisableKey", keyID)
    }

    public func enableKey(_ keyID: String) async throws -> String? {
        try await log("EnableKey", keyID)
        guard let key = keys[keyID] else { throw notFound() }
        guard key.state == .disabled || key.state == .enabled else { throw invalidState("Key \(keyID) is \(key.state).") }
        keys[keyID]?.state = .enabled
        return try await finish("EnableKey", keyID)
    }

    public func scheduleKeyDeletion(_ keyID: String, pendingWindowDays: Int) async throws -> (ScheduleKeyDeletionResponse, requestID: String?) {
        try await log("ScheduleKeyDeletion", keyID)
        guard let key = keys[keyID] else { throw notFound() }
        guard key.state != .pendingDeletion else { throw invalidState("Key \(keyID) is pending deletion.") }
        let date = time.now().addingTimeInterval(TimeInterval(pendingWindowDays) * 86_400)
        keys[keyID]?.state = .pendingDeletion
        keys[keyID]?.deletionDate = date
        let requestID = try await finish("ScheduleKeyDeletion", keyID)
        return (ScheduleKeyDeletionResponse(keyID: keyID, deletionDate: date, keyState: .pendingDeletion, pendingWindowInDays: pendingWindowDays), requestID)
    }

    public func cancelKeyDeletion(_ keyID: String) async throws -> String? {
        try await log("CancelKeyDeletion", keyID)
        guard let key = keys[keyID] else { throw notFound() }
        guard key.state == .pendingDeletion else { throw invalidState("Key \(keyID) is not pending deletion.") }
        keys[keyID]?.state = .disabled
        keys[keyID]?.deletionDate = nil
        return try await finish("CancelKeyDeletion", keyID)
    }

    private func waitForDescribeIfHeld() async {
        guard account.holdLaterPagesUntilDescribe, describesServed == 0 else { return }
        await withCheckedContinuation { pageWaiters.append($0) }
    }
}
