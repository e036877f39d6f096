import Foundation

/// A KMS API operation: its wire name, input shape and output shape.
///
/// Each operation is a caseless enum so it can be named as a type (`DescribeKey.self`) by the
/// client, the emulator's dispatcher and the rate limiter alike.
public protocol KMSOperation: Sendable {
    associatedtype Input: Codable & Sendable
    associatedtype Output: Codable & Sendable
    /// The operation name as sent in `X-Amz-Target: TrentService.<name>`.
    static var name: OperationName { get }
}

/// The name of a KMS operation, as it appears after `TrentService.`.
public struct OperationName: WireValue {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
}

/// Whether an operation changes state in KMS (recorded in audit logs, never called by `plan`).
extension OperationName {
    public static let mutating: Set<OperationName> = [
        CreateCustomKeyStore.name, ConnectCustomKeyStore.name, DisconnectCustomKeyStore.name,
        DeleteCustomKeyStore.name, UpdateCustomKeyStore.name, CreateKey.name, EnableKey.name,
        DisableKey.name, ScheduleKeyDeletion.name, CancelKeyDeletion.name, CreateAlias.name,
        CreateGrant.name, TagResource.name,
    ]
    /// Whether this operation changes state in KMS.
    public var isMutating: Bool { Self.mutating.contains(self) }
}

public enum DescribeCustomKeyStores: KMSOperation {
    public typealias Input = DescribeCustomKeyStoresRequest
    public typealias Output = DescribeCustomKeyStoresResponse
    public static let name: OperationName = "DescribeCustomKeyStores"
}
public enum CreateCustomKeyStore: KMSOperation {
    public typealias Input = CreateCustomKeyStoreRequest
    public typealias Output = CreateCustomKeyStoreResponse
    public static let name: OperationName = "CreateCustomKeyStore"
}
public enum ConnectCustomKeyStore: KMSOperation {
    public typealias Input = CustomKeyStoreIDRequest
    public typealias Output = EmptyResponse
    public static let name: OperationName = "ConnectCustomKeyStore"
}
public enum DisconnectCustomKeyStore: KMSOperation {
    public typealias Input = CustomKeyStoreIDRequest
    public typealias Output = EmptyResponse
    public static let name: OperationName = "DisconnectCustomKeyStore"
}
public enum DeleteCustomKeyStore: KMSOperation {
    public typealias Input = CustomKeyStoreIDRequest
    public typealias Output = EmptyResponse
    public static let name: OperationName = "DeleteCustomKeyStore"
}
public enum UpdateCustomKeyStore: KMSOperation {
    public typealias Input = UpdateCustomKeyStoreRequest
    public typealias Output = EmptyResponse
    public static let name: OperationName = "UpdateCustomKeyStore"
}
public enum ListKeys: KMSOperation {
    public typealias Input = ListKeysRequest
    public typealias Output = ListKeysResponse
    public static let name: OperationName = "ListKeys"
}
public enum DescribeKey: KMSOperation {
    public typealias Input = KeyIDRequest
    public typealias Output = KeyMetadataResponse
    public static let name: OperationName = "DescribeKey"
}
public enum CreateKey: KMSOperation {
    public typealias Input = CreateKeyRequest
    public typealias Output = KeyMetadataResponse
    public static let name: OperationName = "CreateKey"
}
public enum EnableKey: KMSOperation {
    public typealias Input = KeyIDRequest
    public typealias Output = EmptyResponse
    public static let name: OperationName = "EnableKey"
}
public enum DisableKey: KMSOperation {
    public typealias Input = KeyIDRequest
    public typealias Output = EmptyResponse
    public static let name: OperationName = "DisableKey"
}
public enum ScheduleKeyDeletion: KMSOperation {
    public typealias Input = ScheduleKeyDeletionRequest
    public typealias Output = ScheduleKeyDeletionResponse
    public static let name: OperationName = "ScheduleKeyDeletion"
}
public enum CancelKeyDeletion: KMSOperation {
    public typealias Input = KeyIDRequest
    public typealias Output = CancelKeyDeletionResponse
    public static let name: OperationName = "CancelKeyDeletion"
}
public enum ListAliases: KMSOperation {
    public typealias Input = ListAliasesRequest
    public typealias Output = ListAliasesResponse
    public static let name: OperationName = "ListAliases"
}
public enum CreateAlias: KMSOperation {
    public typealias Input = CreateAliasRequest
    public typealias Output = EmptyResponse
    public static let name: OperationName = "CreateAlias"
}
public enum ListGrants: KMSOperation {
    public typealias Input = ListGrantsRequest
    public typealias Output = ListGrantsResponse
    public static let name: OperationName = "ListGrants"
}
public enum CreateGrant: KMSOperation {
    public typealias Input = CreateGrantRequest
    public typealias Output = CreateGrantResponse
    public static let name: OperationName = "CreateGrant"
}
public enum ListResourceTags: KMSOperation {
    public typealias Input = ListResourceTagsRequest
    public typealias Output = ListResourceTagsResponse
    public static let name: OperationName = "ListResourceTags"
}
public enum TagResource: KMSOperation {
    public typealias Input = TagResourceRequest
    public typealias Output = EmptyResponse
    public static let name: OperationName = "TagResource"
}
public enum GetKeyLastUsage: KMSOperation {
    public typealias Input = KeyIDRequest
    public typealias Output = GetKeyLastUsageResponse
    public static let name: OperationName = "GetKeyLastUsage"
}
public enum Encrypt: KMSOperation {
    public typealias Input = EncryptRequest
    public typealias Output = EncryptResponse
    public static let name: OperationName = "Encrypt"
}
public enum Decrypt: KMSOperation {
    public typealias Input = DecryptRequest
    public typealias Output = DecryptResponse
    public static let name: OperationName = "Decrypt"
}
public enum GenerateDataKey: KMSOperation {
    public typealias Input = GenerateDataKeyRequest
    public typealias Output = GenerateDataKeyResponse
    public static let name: OperationName = "GenerateDataKey"
}
public enum GenerateDataKeyWithoutPlaintext: KMSOperation {
    public typealias Input = GenerateDataKeyRequest
    public typealias Output = GenerateDataKeyResponse
    public static let name: OperationName = "GenerateDataKeyWithoutPlaintext"
}
