import Foundation

// Shapes of the key operations (botocore KMS model 2014-11-01).

/// A key's metadata as DescribeKey and CreateKey return it (`KeyMetadata`).
public struct KeyMetadata: Codable, Sendable, Equatable {
    public var awsAccountID: String?
    public var keyID: String
    public var arn: String?
    public var creationDate: Date?
    public var enabled: Bool?
    public var description: String?
    public var keyUsage: String?
    public var keyState: KeyState?
    public var deletionDate: Date?
    public var validTo: Date?
    public var origin: KeyOrigin?
    public var customKeyStoreID: String?
    public var cloudHsmClusterID: String?
    public var expirationModel: String?
    public var keyManager: String?
    public var customerMasterKeySpec: String?
    public var keySpec: String?
    public var encryptionAlgorithms: [String]?
    public var multiRegion: Bool?
    public var pendingDeletionWindowInDays: Int?
    public var xksKeyConfiguration: XksKeyConfiguration?
    public var currentKeyMaterialID: String?

    public init(
        keyID: String, awsAccountID: String? = nil, arn: String? = nil, creationDate: Date? = nil,
        enabled: Bool? = nil, description: String? = nil, keyUsage: String? = nil,
        keyState: KeyState? = nil, deletionDate: Date? = nil, validTo: Date? = nil,
        origin: KeyOrigin? = nil, customKeyStoreID: String? = nil, cloudHsmClusterID: String? = nil,
        expirationModel: String? = nil, keyManager: String? = nil, customerMasterKeySpec: String? = nil,
        keySpec: String? = nil, encryptionAlgorithms: [String]? = nil, multiRegion: Bool? = nil,
        pendingDeletionWindowInDays: Int? = nil, xksKeyConfiguration: XksKeyConfiguration? = nil,
        currentKeyMaterialID: String? = nil
    ) {
        self.keyID = keyID
        self.awsAccountID = awsAccountID
        self.arn = arn
        self.creationDate = creationDate
        self.enabled = enabled
        self.description = description
        self.keyUsage = keyUsage
        self.keyState = keyState
        self.deletionDate = deletionDate
        self.validTo = validTo
        self.origin = origin
        self.customKeyStoreID = customKeyStoreID
        self.cloudHsmClusterID = cloudHsmClusterID
        self.expirationModel = expirationModel
        self.keyManager = keyManager
        self.customerMasterKeySpec = customerMasterKeySpec
        self.keySpec = keySpec
        self.encryptionAlgorithms = encryptionAlgorithms
        self.multiRegion = multiRegion
        self.pendingDeletionWindowInDays = pendingDeletionWindowInDays
        self.xksKeyConfiguration = xksKeyConfiguration
        self.currentKeyMaterialID = currentKeyMaterialID
    }

    enum CodingKeys: String, CodingKey {
        case awsAccountID = "AWSAccountId", keyID = "KeyId", arn = "Arn", creationDate = "CreationDate"
        case enabled = "Enabled", description = "Description", keyUsage = "KeyUsage", keyState = "KeyState"
        case deletionDate = "DeletionDate", validTo = "ValidTo", origin = "Origin"
        case customKeyStoreID = "CustomKeyStoreId", cloudHsmClusterID = "CloudHsmClusterId"
        case expirationModel = "ExpirationModel", keyManager = "KeyManager"
        case customerMasterKeySpec = "CustomerMasterKeySpec", keySpec = "KeySpec"
        case encryptionAlgorithms = "EncryptionAlgorithms", multiRegion = "MultiRegion"
        case pendingDeletionWindowInDays = "PendingDeletionWindowInDays"
        case xksKeyConfiguration = "XksKeyConfiguration", currentKeyMaterialID = "CurrentKeyMaterialId"
    }
}

/// The external key behind an XKS key (`XksKeyConfigurationType`).
public struct XksKeyConfiguration: Codable, Sendable, Equatable {
    public var id: String?
    public init(id: String? = nil) { self.id = id }
    enum CodingKeys: String, CodingKey { case id = "Id" }
}

/// One entry of `ListKeys` (`KeyListEntry`).
public struct KeyListEntry: Codable, Sendable, Equatable {
    public var keyID: String?
    public var keyArn: String?
    public init(keyID: String? = nil, keyArn: String? = nil) {
        self.keyID = keyID
        self.keyArn = keyArn
    }
    enum CodingKeys: String, CodingKey { case keyID = "KeyId", keyArn = "KeyArn" }
}

/// Input of `ListKeys`.
public struct ListKeysRequest: Codable, Sendable, Equatable {
    public var limit: Int?
    public var marker: String?
    public init(limit: Int? = nil, marker: String? = nil) {
        self.limit = limit
        self.marker = marker
    }
    enum CodingKeys: String, CodingKey { case limit = "Limit", marker = "Marker" }
}

/// Output of `ListKeys`.
public struct ListKeysResponse: Codable, Sendable, Equatable {
    public var keys: [KeyListEntry]?
    public var nextMarker: String?
    public var truncated: Bool?
    public init(keys: [KeyListEntry]? = nil, nextMarker: String? = nil, truncated: Bool? = nil) {
        self.keys = keys
        self.nextMarker = nextMarker
        self.truncated = truncated
    }
    enum CodingKeys: String, CodingKey { case keys = "Keys", nextMarker = "NextMarker", truncated = "Truncated" }
}

/// Input of every operation that takes only a `KeyId` (DescribeKey, EnableKey, DisableKey,
/// CancelKeyDeletion, GetKeyLastUsage).
public struct KeyIDRequest: Codable, Sendable, Equatable {
    public var keyID: String
    public init(keyID: String) { self.keyID = keyID }
    enum CodingKeys: String, CodingKey { case keyID = "KeyId" }
}

/// Output of `DescribeKey` and `CreateKey`.
public struct KeyMetadataResponse: Codable, Sendable, Equatable {
    public var keyMetadata: KeyMetadata?
    public init(keyMetadata: KeyMetadata? = nil) { self.keyMetadata = keyMetadata }
    enum CodingKeys: String, CodingKey { case keyMetadata = "KeyMetadata" }
}

/// Input of `CreateKey` (the members this project uses).
public struct CreateKeyRequest: Codable, Sendable, Equatable {
    public var description: String?
    public var keyUsage: String?
    public var keySpec: String?
    public var origin: KeyOrigin?
    public var customKeyStoreID: String?
    public var tags: [Tag]?
    public var multiRegion: Bool?
    public var xksKeyID: String?
    public var policy: String?
    public init(
        description: String? = nil, keyUsage: String? = nil, keySpec: String? = nil,
        origin: KeyOrigin? = nil, customKeyStoreID: String? = nil, tags: [Tag]? = nil,
        multiRegion: Bool? = nil, xksKeyID: String? = nil, policy: String? = nil
    ) {
        self.description = description
        self.keyUsage = keyUsage
        self.keySpec = keySpec
        self.origin = origin
        self.customKeyStoreID = customKeyStoreID
        self.tags = tags
        self.multiRegion = multiRegion
        self.xksKeyID = xksKeyID
        self.policy = policy
    }
    enum CodingKeys: String, CodingKey {
        case description = "Description", keyUsage = "KeyUsage", keySpec = "KeySpec", origin = "Origin"
        case customKeyStoreID = "CustomKeyStoreId", tags = "Tags", multiRegion = "MultiRegion"
        case xksKeyID = "XksKeyId", policy = "Policy"
    }
}

/// Input of `ScheduleKeyDeletion`.
public struct ScheduleKeyDeletionRequest: Codable, Sendable, Equatable {
    public var keyID: String
    public var pendingWindowInDays: Int?
    public init(keyID: String, pendingWindowInDays: Int? = nil) {
        self.keyID = keyID
        self.pendingWindowInDays = pendingWindowInDays
    }
    enum CodingKeys: String, CodingKey { case keyID = "KeyId", pendingWindowInDays = "PendingWindowInDays" }
}

/// Output of `ScheduleKeyDeletion`.
public struct ScheduleKeyDeletionResponse: Codable, Sendable, Equatable {
    public var keyID: String?
    public var deletionDate: Date?
    public var keyState: KeyState?
    public var pendingWindowInDays: Int?
    public init(keyID: String? = nil, deletionDate: Date? = nil, keyState: KeyState? = nil, pendingWindowInDays: Int? = nil) {
        self.keyID = keyID
        self.deletionDate = deletionDate
        self.keyState = keyState
        self.pendingWindowInDays = pendingWindowInDays
    }
    enum CodingKeys: String, CodingKey {
        case keyID = "KeyId", deletionDate = "DeletionDate", keyState = "KeyState"
        case pendingWindowInDays = "PendingWindowInDays"
    }
}

/// Output of `CancelKeyDeletion`.
public struct CancelKeyDeletionResponse: Codable, Sendable, Equatable {
    public var keyID: String?
    public init(keyID: String? = nil) { self.keyID = keyID }
    enum CodingKeys: String, CodingKey { case keyID = "KeyId" }
}

/// Output of `GetKeyLastUsage`.
public struct GetKeyLastUsageResponse: Codable, Sendable, Equatable {
    public var keyID: String?
    public var keyLastUsage: KeyLastUsage?
    public var trackingStartDate: Date?
    public var keyCreationDate: Date?
    public init(keyID: String? = nil, keyLastUsage: KeyLastUsage? = nil, trackingStartDate: Date? = nil, keyCreationDate: Date? = nil) {
        self.keyID = keyID
        self.keyLastUsage = keyLastUsage
        self.trackingStartDate = trackingStartDate
        self.keyCreationDate = keyCreationDate
    }
    enum CodingKeys: String, CodingKey {
        case keyID = "KeyId", keyLastUsage = "KeyLastUsage", trackingStartDate = "TrackingStartDate"
        case keyCreationDate = "KeyCreationDate"
    }
}

/// The last successful cryptographic use of a key (`KeyLastUsageData`); all members empty when
/// the key has not been used since tracking started.
public struct KeyLastUsage: Codable, Sendable, Equatable {
    public var operation: String?
    public var timestamp: Date?
    public var cloudTrailEventID: String?
    public var kmsRequestID: String?
    public init(operation: String? = nil, timestamp: Date? = nil, cloudTrailEventID: String? = nil, kmsRequestID: String? = nil) {
        self.operation = operation
        self.timestamp = timestamp
        self.cloudTrailEventID = cloudTrailEventID
        self.kmsRequestID = kmsRequestID
    }
    /// Whether the record names a use (AWS sends an empty object when there was none).
    public var isEmpty: Bool { operation == nil && timestamp == nil }
    enum CodingKeys: String, CodingKey {
        case operation = "Operation", timestamp = "Timestamp", cloudTrailEventID = "CloudTrailEventId"
        case kmsRequestID = "KmsRequestId"
    }
}
