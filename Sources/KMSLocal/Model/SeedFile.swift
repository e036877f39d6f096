import Foundation

/// The `--seed` and `--state` file format, version 1 (documented in SEED-FORMAT.md).
///
/// A DTO with explicit coding keys: renaming a Swift property never changes the format. Build a
/// seed with these types and encode it with `makeEncoder()` rather than writing the JSON by hand.
public struct SeedFile: Codable, Sendable, Equatable {
    /// The `seedVersion` this kms-local reads and writes.
    public static let currentVersion = 1

    /// The format version; kms-local reads only `currentVersion`.
    public var seedVersion: Int
    /// The account in ARNs (`accountId`); default `--account-id`.
    public var accountID: String?
    /// The Region in ARNs; default `--region`.
    public var region: String?
    /// When GetKeyLastUsage tracking began; default the load time.
    public var trackingStartDate: Date?
    /// The custom key stores.
    public var stores: [SeedStore]?
    /// The keys listed one by one.
    public var keys: [SeedKey]?
    /// How many ordinary Enabled `AWS_KMS` keys to generate, with deterministic ids.
    public var generatedKeys: Int?
    /// Principal ARN per access key id in CloudTrail events (SEED-FORMAT.md).
    public var principals: [String: String]?
    /// Past CloudTrail events (SEED-FORMAT.md).
    public var cloudtrailEvents: [SeedTrailEvent]?

    enum CodingKeys: String, CodingKey {
        case seedVersion, accountID = "accountId", region, trackingStartDate, stores, keys, generatedKeys
        case principals, cloudtrailEvents
    }

    /// Creates a seed; every field left out is omitted from the file and defaulted by kms-local.
    public init(
        seedVersion: Int = SeedFile.currentVersion, accountID: String? = nil, region: String? = nil,
        trackingStartDate: Date? = nil, stores: [SeedStore]? = nil, keys: [SeedKey]? = nil, generatedKeys: Int? = nil,
        principals: [String: String]? = nil, cloudtrailEvents: [SeedTrailEvent]? = nil
    ) {
        self.principals = principals
        self.cloudtrailEvents = cloudtrailEvents
        self.seedVersion = seedVersion
        self.accountID = accountID
        self.region = region
        self.trackingStartDate = trackingStartDate
        self.stores = stores
        self.keys = keys
        self.generatedKeys = generatedKeys
    }

    /// Makes the decoder for seed files (ISO-8601 dates, fractional seconds optional).
    public static func makeDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            if let date = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text) { return date }
            if let date = try? Date.ISO8601FormatStyle().parse(text) { return date }
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "'\(text)' is not an ISO-8601 date.")
        }
        return decoder
    }

    /// Makes the encoder for seed and state files: sorted keys and ISO-8601 dates with milliseconds.
    public static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
        }
        return encoder
    }
}

/// A custom key store in a seed.
public struct SeedStore: Codable, Sendable, Equatable {
    /// The id (`cks-...` for a store, a UUID for a key).
    public var id: String
    /// The store name, unique in the account.
    public var name: String
    /// `AWS_CLOUDHSM` or `EXTERNAL_KEY_STORE`.
    public var type: String
    /// The CloudHSM cluster (`clusterId`).
    public var clusterID: String?
    /// The CloudHSM cluster's trust anchor certificate (PEM).
    public var trustAnchorCertificate: String?
    /// The XKS proxy's endpoint URL.
    public var xksProxyUriEndpoint: String?
    /// The XKS proxy's URI path.
    public var xksProxyUriPath: String?
    /// `PUBLIC_ENDPOINT` (default) or `VPC_ENDPOINT_SERVICE`.
    public var xksProxyConnectivity: String?
    /// The access key id KMS shows for the XKS proxy credential.
    public var xksProxyAccessKeyID: String?
    /// The VPC endpoint service of a `VPC_ENDPOINT_SERVICE` proxy.
    public var xksProxyVpcEndpointServiceName: String?
    /// A KMS connection state; `DISCONNECTED` when nil.
    public var connectionState: String?
    /// The error code shown while `FAILED` (default `INTERNAL_ERROR`).
    public var connectionErrorCode: String?
    /// When it was created; default the load time.
    public var creationDate: Date?
    /// Simulated connect duration before `--time-scale`.
    public var connectSeconds: Double?
    /// Simulated disconnect duration before `--time-scale`.
    public var disconnectSeconds: Double?
    /// The next connect ends in `FAILED` with this code, once.
    public var nextConnectFailure: String?
    /// When a `CONNECTING` or `DISCONNECTING` store settles (written by `--state`).
    public var transitionDue: Date?

    enum CodingKeys: String, CodingKey {
        case id, name, type, clusterID = "clusterId", trustAnchorCertificate, xksProxyUriEndpoint, xksProxyUriPath
        case xksProxyConnectivity, xksProxyAccessKeyID = "xksProxyAccessKeyId", xksProxyVpcEndpointServiceName
        case connectionState, connectionErrorCode, creationDate, connectSeconds, disconnectSeconds
        case nextConnectFailure, transitionDue
    }

    /// Creates a store entry; optional fields left out take kms-local's defaults (SEED-FORMAT.md).
    public init(
        id: String, name: String, type: String, clusterID: String? = nil, trustAnchorCertificate: String? = nil,
        xksProxyUriEndpoint: String? = nil, xksProxyUriPath: String? = nil, xksProxyConnectivity: String? = nil,
        xksProxyAccessKeyID: String? = nil, xksProxyVpcEndpointServiceName: String? = nil, connectionState: String? = nil,
        connectionErrorCode: String? = nil, creationDate: Date? = nil, connectSeconds: Double? = nil,
        disconnectSeconds: Double? = nil, nextConnectFailure: String? = nil, transitionDue: Date? = nil
    ) {
        self.id = id
        self.name = name
        self.type = type
        self.clusterID = clusterID
        self.trustAnchorCertificate = trustAnchorCertificate
        self.xksProxyUriEndpoint = xksProxyUriEndpoint
        self.xksProxyUriPath = xksProxyUriPath
        self.xksProxyConnectivity = xksProxyConnectivity
        self.xksProxyAccessKeyID = xksProxyAccessKeyID
        self.xksProxyVpcEndpointServiceName = xksProxyVpcEndpointServiceName
        self.connectionState = connectionState
        self.connectionErrorCode = connectionErrorCode
        self.creationDate = creationDate
        self.connectSeconds = connectSeconds
        self.disconnectSeconds = disconnectSeconds
        self.nextConnectFailure = nextConnectFailure
        self.transitionDue = transitionDue
    }
}

/// A KMS key in a seed.
public struct SeedKey: Codable, Sendable, Equatable {
    /// The id (`cks-...` for a store, a UUID for a key).
    public var id: String
    /// The custom key store holding the key (`storeId`); nil for an `AWS_KMS` key.
    public var storeID: String?
    /// `Enabled` (when nil), `Disabled`, `PendingDeletion` or `Unavailable`.
    public var state: String?
    /// The key's description.
    public var description: String?
    /// When it was created; default the load time.
    public var creationDate: Date?
    /// When a `PendingDeletion` key is deleted; default the window from load time.
    public var deletionDate: Date?
    /// The waiting period of a `PendingDeletion` key (default 30).
    public var pendingWindowInDays: Int?
    /// When the key vanishes: DeletionDate plus `--deletion-lag` (written by `--state`).
    public var removalDate: Date?
    /// The external key's id in the external key manager (`xksKeyId`).
    public var xksKeyID: String?
    /// Alias names (`alias/...`), unique across keys.
    public var aliases: [String]?
    /// The key's grants.
    public var grants: [SeedGrant]?
    /// The key's tags.
    public var tags: [SeedTag]?
    /// What GetKeyLastUsage reports.
    public var lastUsage: SeedUsage?

    enum CodingKeys: String, CodingKey {
        case id, storeID = "storeId", state, description, creationDate, deletionDate, pendingWindowInDays
        case removalDate, xksKeyID = "xksKeyId", aliases, grants, tags, lastUsage
    }

    /// Creates a key entry; optional fields left out take kms-local's defaults (SEED-FORMAT.md).
    public init(
        id: String, storeID: String? = nil, state: String? = nil, description: String? = nil, creationDate: Date? = nil,
        deletionDate: Date? = nil, pendingWindowInDays: Int? = nil, removalDate: Date? = nil, xksKeyID: String? = nil,
        aliases: [String]? = nil, grants: [SeedGrant]? = nil, tags: [SeedTag]? = nil, lastUsage: SeedUsage? = nil
    ) {
        self.id = id
        self.storeID = storeID
        self.state = state
        self.description = description
        self.creationDate = creationDate
        self.deletionDate = deletionDate
        self.pendingWindowInDays = pendingWindowInDays
        self.removalDate = removalDate
        self.xksKeyID = xksKeyID
        self.aliases = aliases
        self.grants = grants
        self.tags = tags
        self.lastUsage = lastUsage
    }
}

/// A grant in a seed.
public struct SeedGrant: Codable, Sendable, Equatable {
    /// The grant id (`grantId`); generated when nil.
    public var grantID: String?
    /// The grant's name.
    public var name: String?
    /// The principal the grant allows.
    public var granteePrincipal: String
    /// The principal that may retire the grant.
    public var retiringPrincipal: String?
    /// The operations the grant allows (`Decrypt`, ...).
    public var operations: [String]
    /// When it was created; default the load time.
    public var creationDate: Date?

    enum CodingKeys: String, CodingKey {
        case grantID = "grantId", name, granteePrincipal, retiringPrincipal, operations, creationDate
    }

    /// Creates a grant entry; a missing id is generated from the grant's position.
    public init(
        grantID: String? = nil, name: String? = nil, granteePrincipal: String, retiringPrincipal: String? = nil,
        operations: [String], creationDate: Date? = nil
    ) {
        self.grantID = grantID
        self.name = name
        self.granteePrincipal = granteePrincipal
        self.retiringPrincipal = retiringPrincipal
        self.operations = operations
        self.creationDate = creationDate
    }
}

/// A tag in a seed.
public struct SeedTag: Codable, Sendable, Equatable {
    /// The tag key.
    public var key: String
    /// The tag value.
    public var value: String

    /// Creates a tag entry.
    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}

/// A last-usage record in a seed: what GetKeyLastUsage reports.
public struct SeedUsage: Codable, Sendable, Equatable {
    /// The operation last used (`Decrypt`, ...).
    public var operation: String
    /// When it was used.
    public var timestamp: Date
    /// The request id of that use (`requestId`).
    public var requestID: String?

    enum CodingKeys: String, CodingKey { case operation, timestamp, requestID = "requestId" }

    /// Creates a usage entry.
    public init(operation: String, timestamp: Date, requestID: String? = nil) {
        self.operation = operation
        self.timestamp = timestamp
        self.requestID = requestID
    }
}
