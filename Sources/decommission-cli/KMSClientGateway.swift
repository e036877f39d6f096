import Decommission
import Foundation
import KMSAPI

/// Serves the executor's and canceller's KMS calls with the real HTTP client (SigV4, retries, pacing).
struct KMSClientGateway: KMSGateway {
    let client: KMSClient

    func describeStore(_ id: String) async throws -> CustomKeyStoresListEntry {
        let stores = try await client.describeCustomKeyStores(id: id).customKeyStores ?? []
        guard let store = stores.first(where: { $0.customKeyStoreID == id }) else {
            throw KMSError(code: .keyStoreNotFound, message: "Custom key store '\(id)' was not found.", awsErrorType: "CustomKeyStoreNotFoundException")
        }
        return store
    }

    func listKeyIDs() async throws -> [String] {
        var ids: [String] = []
        for try await page in client.pages(ListKeys.self, ListKeysRequest(limit: 1000)) {
            ids += (page.keys ?? []).compactMap(\.keyID)
        }
        return ids
    }

    func describeKey(_ keyID: String) async throws -> KeyMetadata {
        guard let metadata = try await client.describeKey(keyID).keyMetadata else {
            throw KMSError(code: .invalidResponse, message: "DescribeKey for '\(keyID)' returned no KeyMetadata.")
        }
        return metadata
    }

    func keyLastUsage(_ keyID: String) async throws -> GetKeyLastUsageResponse {
        try await client.getKeyLastUsage(keyID)
    }

    func connectStore(_ id: String) async throws -> String? {
        try await client.send(ConnectCustomKeyStore.self, CustomKeyStoreIDRequest(customKeyStoreID: id)).requestID
    }

    func disconnectStore(_ id: String) async throws -> String? {
        try await client.send(DisconnectCustomKeyStore.self, CustomKeyStoreIDRequest(customKeyStoreID: id)).requestID
    }

    func deleteStore(_ id: String) async throws -> String? {
        try await client.send(DeleteCustomKeyStore.self, CustomKeyStoreIDRequest(customKeyStoreID: id)).requestID
    }

    func disableKey(_ keyID: String) async throws -> String? {
        try await client.send(DisableKey.self, KeyIDRequest(keyID: keyID)).requestID
    }

    func enableKey(_ keyID: String) async throws -> String? {
        try await client.send(EnableKey.self, KeyIDRequest(keyID: keyID)).requestID
    }

    func scheduleKeyDeletion(_ keyID: String, pendingWindowDays: Int) async throws -> (ScheduleKeyDeletionResponse, requestID: String?) {
        let response = try await client.send(
            ScheduleKeyDeletion.self, ScheduleKeyDeletionRequest(keyID: keyID, pendingWindowInDays: pendingWindowDays))
        return (response.output, response.requestID)
    }

    func cancelKeyDeletion(_ keyID: String) async throws -> String? {
        try await client.send(CancelKeyDeletion.self, KeyIDRequest(keyID: keyID)).requestID
    }
}

extension KMSClientGateway {
    /// Returns a key's live state, or `deleted` once KMS answers `NotFoundException` (for `status --refresh`).
    func describeKeyIfPresentOrDeleted(_ keyID: String) async throws -> String {
        do {
            return try await describeKey(keyID).keyState?.rawValue ?? "unknown"
        } catch let error as KMSError where error.code == .keyNotFound {
            return "deleted"
        }
    }
}
