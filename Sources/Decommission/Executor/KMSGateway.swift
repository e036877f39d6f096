import Foundation
import KMSAPI

/// Every KMS call `Decommission` makes: the one seam between the planner, drift scanner, executor
/// and canceller and `KMSClient`, so they run against a real client, kms-local or an in-memory
/// fake alike.
///
/// Listings return one page per call (the caller follows `NextMarker`, see `forEachItem`), so a
/// large account is never held in memory at once. Every method throws `KMSError` for AWS errors;
/// mutating calls return the AWS request id.
public protocol KMSGateway: Sendable {
    /// One page of `DescribeCustomKeyStores` (one store when the request names an id).
    func describeStores(_ request: DescribeCustomKeyStoresRequest) async throws -> DescribeCustomKeyStoresResponse
    /// One page of `ListKeys`.
    func listKeys(_ request: ListKeysRequest) async throws -> ListKeysResponse
    /// One page of `ListAliases`.
    func listAliases(_ request: ListAliasesRequest) async throws -> ListAliasesResponse
    /// One page of `ListGrants` for a key.
    func listGrants(_ request: ListGrantsRequest) async throws -> ListGrantsResponse
    /// One page of `ListResourceTags` for a key.
    func listResourceTags(_ request: ListResourceTagsRequest) async throws -> ListResourceTagsResponse
    /// Returns a key's metadata (`DescribeKey`); throws `.keyNotFound` once it is deleted.
    func describeKey(_ keyID: String) async throws -> KeyMetadata
    /// Returns a key's last cryptographic use (`GetKeyLastUsage`).
    func keyLastUsage(_ keyID: String) async throws -> GetKeyLastUsageResponse
    /// Connects a store (`ConnectCustomKeyStore`).
    func connectStore(_ id: String) async throws -> String?
    /// Disconnects a store (`DisconnectCustomKeyStore`).
    func disconnectStore(_ id: String) async throws -> String?
    /// Deletes a store (`DeleteCustomKeyStore`).
    func deleteStore(_ id: String) async throws -> String?
    /// Disables a key (`DisableKey`).
    func disableKey(_ keyID: String) async throws -> String?
    /// Enables a key (`EnableKey`).
    func enableKey(_ keyID: String) async throws -> String?
    /// Schedules a key's deletion (`ScheduleKeyDeletion`).
    func scheduleKeyDeletion(_ keyID: String, pendingWindowDays: Int) async throws -> (ScheduleKeyDeletionResponse, requestID: String?)
    /// Cancels a key's deletion (`CancelKeyDeletion`).
    func cancelKeyDeletion(_ keyID: String) async throws -> String?
}
