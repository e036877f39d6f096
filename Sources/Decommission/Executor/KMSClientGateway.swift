import Foundation
import KMSAPI

/// The `KMSGateway` over a real `KMSClient` (retries and per-operation pacing come from the client).
public struct KMSClientGateway: KMSGateway {
    private let client: KMSClient

    /// Wraps a client.
    public init(client: KMSClient) { self.client = client }

    public func describeStores(_ request: DescribeCustomKeyStoresRequest) async throws -> DescribeCustomKeyStoresResponse {
        try await client.send(DescribeCustomKeyStores.self, request).output
    }

    public func listKeys(_ request: ListKeysRequest) async throws -> ListKeysResponse {
        try await client.send(ListKeys.self, request).output
    }

    public func listAliases(_ request: ListAliasesRequest) async throws -> ListAliasesResponse {
        try await client.send(ListAliases.self, request).output
    }

    public func listGrants(_ request: ListGrantsRequest) async throws -> ListGrantsResponse {
        try await client.send(ListGrants.self, request).output
    }

    public func listResourceTags(_ request: ListResourceTagsRequest) async throws -> ListResourceTagsResponse {
        try await client.send(ListResourceTags.self, request).output
    }

    public func describeKey(_ keyID: String) async throws -> KeyMetadata {
        let response = try await client.send(DescribeKey.self, KeyIDRequest(keyID: keyID))
        guard let metadata = response.output.keyMetadata else {
            throw KMSError(code: .invalidResponse, message: "DescribeKey answered without KeyMetadata for \(keyID).", requestID: response.requestID)
        }
        return metadata
    }

    public func keyLastUsage(_ keyID: String) async throws -> GetKeyLastUsageResponse {
        try await client.send(GetKeyLastUsage.self, KeyIDRequest(keyID: keyID)).output
    }

    public func connectStore(_ id: String) async throws -> String? {
        try await client.send(ConnectCustomKeyStore.self, CustomKeyStoreIDRequest(customKeyStoreID: id)).requestID
    }

    public func disconnectStore(_ id: String) async throws -> String? {
        try await client.send(DisconnectCustomKeyStore.self, CustomKeyStoreIDRequest(customKeyStoreID: id)).requestID
    }

    public func deleteStore(_ id: String) async throws -> String? {
        try await client.send(DeleteCustomKeyStore.self, CustomKeyStoreIDRequest(customKeyStoreID: id)).requestID
    }

    public func disableKey(_ keyID: String) async throws -> String? {
        try await client.send(DisableKey.self, KeyIDRequest(keyID: keyID)).requestID
    }

    public func enableKey(_ keyID: String) async throws -> String? {
        try await client.send(EnableKey.self, KeyIDRequest(keyID: keyID)).requestID
    }

    public func scheduleKeyDeletion(_ keyID: String, pendingWindowDays: Int) async throws -> (ScheduleKeyDeletionResponse, requestID: String?) {
        let response = try await client.send(
            ScheduleKeyDeletion.self, ScheduleKeyDeletionRequest(keyID: keyID, pendingWindowInDays: pendingWindowDays))
        return (response.output, response.requestID)
    }

    public func cancelKeyDeletion(_ keyID: String) async throws -> String? {
        try await client.send(CancelKeyDeletion.self, KeyIDRequest(keyID: keyID)).requestID
    }
}
