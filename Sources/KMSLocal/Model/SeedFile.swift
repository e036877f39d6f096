import Foundation

/// The `--seed` and `--state` file format, version 1 (documented in SEED-FORMAT.md).
///
/// A DTO with explicit coding keys: renaming a Swift property never changes the format.
struct SeedFile: Codable, Sendable, Equatable {
    static let currentVersion = 1

    var seedVersion: Int
    var accountID: String?
    var region: String?
    var trackingStartDate: Date?
    var stores: [SeedStore]?
    var keys: [SeedKey]?
    var generatedKeys: Int?
    /// Principal ARN per access key id in CloudTrail events (SEED-FORMAT.md).
    var principals: [String: String]?
    /// Past CloudTrail events (SEED-FORMAT.md).
    var cloudtrailEvents: [SeedTrailEvent]?

    enum CodingKeys: String, CodingKey {
        case seedVersion, accountID = "accountId", region, trackingStartDate, stores, keys, generatedKeys
        case principals, cloudtrailEvents
    }

    /// Makes the decoder for seed files (ISO-8601 dates, fractional seconds optional).
    static func makeDecoder() -> JSONDecoder {
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

    /// Makes the encoder for state files: sorted keys and ISO-8601 dates with milliseconds.
    static func makeEncoder() -> JSONEncoder {
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
struct SeedStore: Codable, Sendable, Equatable {
    var id: String
    var name: String
    var type: String
    var clusterID: String?
    var trustAnchorCertificate: String?
    var xksProxyUriEndpoint: String?
    var xksProxyUriPath: String?
    var xksProxyConnectivity: String?
    var xksProxyAccessKeyID: String?
    var xksProxyVpcEndpointServiceName: String?
    var connectionState: String?
    var connectionErrorCode: String?
    var creationDate: Date?
    var connectSeconds: Double?
    var disconnectSeconds: Double?
    var nextConnectFailure: String?
    var transitionDue: Date?

    enum CodingKeys: String, CodingKey {
        case id, name, type, clusterID = "clusterId", trustAnchorCertificate, xksProxyUriEndpoint, xksProxyUriPath
        case xksProxyConnectivity, xksProxyAccessKeyID = "xksProxyAccessKeyId", xksProxyVpcEndpointServiceName
        case connectionState, connectionErrorCode, creationDate, connectSeconds, disconnectSeconds
        case nextConnectFailure, transitionDue
    }
}

/// A KMS key in a seed.
struct SeedKey: Codable, Sendable, Equatable {
    var id: String
    var storeID: String?
    var state: String?
    var description: String?
    var creationDate: Date?
    var deletionDate: Date?
    var pendingWindowInDays: Int?
    var removalDate: Date?
    var xksKeyID: String?
    var aliases: [String]?
    var grants: [SeedGrant]?
    var tags: [SeedTag]?
    var lastUsage: SeedUsage?

    enum CodingKeys: String, CodingKey {
        case id, storeID = "storeId", state, description, creationDate, deletionDate, pendingWindowInDays
        case removalDate, xksKeyID = "xksKeyId", aliases, grants, tags, lastUsage
    }
}

/// A grant in a seed.
struct SeedGrant: Codable, Sendable, Equatable {
    var grantID: String?
    var name: String?
    var granteePrincipal: String
    var retiringPrincipal: String?
    var operations: [String]
    var creationDate: Date?

    enum CodingKeys: String, CodingKey {
        case grantID = "grantId", name, granteePrincipal, retiringPrincipal, operations, creationDate
    }
}

/// A tag in a seed.
struct SeedTag: Codable, Sendable, Equatable {
    var key: String
    var value: String
}

/// A last-usage record in a seed.
struct SeedUsage: Codable, Sendable, Equatable {
    var operation: String
    var timestamp: Date
    var requestID: String?

    enum CodingKeys: String, CodingKey { case operation, timestamp, requestID = "requestId" }
}
