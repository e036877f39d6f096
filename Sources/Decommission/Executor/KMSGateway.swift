import Foundation
import KMSAPI

/// The KMS calls the executor and canceller make: the seam between them and `KMSClient`, so the
/// state machine runs against a real client, kms-local or an in-memory fake alike.
///
/// Every method throws `KMSError` for AWS errors; mutating calls return the AWS request id.
public protocol KMSGateway: Sendable {
    /// Returns the store with this id (`DescribeCustomKeyStores`); throws `.keyStoreNotFound`.
    func describeStore(_ id: String) async throws -> CustomKeyStoresListEntry
    /// Returns every key id in the account and Region (`ListKeys`, all pages).
    func listKeyIDs() async throws -> [String]
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

extension KMSGateway {
    /// Reads a key, or nil once KMS answers `NotFoundException`.
    public func describeKeyIfPresent(_ keyID: String) async throws -> KeyMetadata? {
        do {
            return try await describeKey(keyID)
        } catch let error as KMSError where error.code == .keyNotFound {
            return nil
        }
    }

    /// Reads the store, or nil once KMS answers `CustomKeyStoreNotFoundException`.
    public func describeStoreIfPresent(_ id: String) async throws -> CustomKeyStoresListEntry? {
        do {
            return try await describeStore(id)
        } catch let error as KMSError where error.code == .keyStoreNotFound {
            return nil
        }
    }
}
