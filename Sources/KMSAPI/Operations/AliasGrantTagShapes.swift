import Foundation

// Shapes of the alias, grant and tag operations (botocore KMS model 2014-11-01).

/// A resource tag (`Tag`).
public struct Tag: Codable, Sendable, Equatable, Hashable {
    public var tagKey: String
    public var tagValue: String
    public init(tagKey: String, tagValue: String) {
        self.tagKey = tagKey
        self.tagValue = tagValue
    }
    enum CodingKeys: String, CodingKey { case tagKey = "TagKey", tagValue = "TagValue" }
}

/// One alias (`AliasListEntry`).
public struct AliasListEntry: Codable, Sendable, Equatable {
    public var aliasName: String?
    public var aliasArn: String?
    public var targetKeyID: String?
    public var creationDate: Date?
    public var lastUpdatedDate: Date?
    public init(aliasName: String? = nil, aliasArn: String? = nil, targetKeyID: String? = nil, creationDate: Date? = nil, lastUpdatedDate: Date? = nil) {
        self.aliasName = aliasName
        self.aliasArn = aliasArn
        self.targetKeyID = targetKeyID
        self.creationDate = creationDate
        self.lastUpdatedDate = lastUpdatedDate
    }
    enum CodingKeys: String, CodingKey {
        case aliasName = "AliasName", aliasArn = "AliasArn", targetKeyID = "TargetKeyId"
        case creationDate = "CreationDate", lastUpdatedDate = "LastUpdatedDate"
    }
}

/// Input of `ListAliases`.
public struct ListAliasesRequest: Codable, Sendable, Equatable {
    public var keyID: String?
    public var limit: Int?
    public var marker: String?
    public init(keyID: String? = nil, limit: Int? = nil, marker: String? = nil) {
        self.keyID = keyID
        self.limit = limit
        self.marker = marker
    }
    enum CodingKeys: String, CodingKey { case keyID = "KeyId", limit = "Limit", marker = "Marker" }
}

/// Output of `ListAliases`.
public struct ListAliasesResponse: Codable, Sendable, Equatable {
    public var aliases: [AliasListEntry]?
    public var nextMarker: String?
    public var truncated: Bool?
    public init(aliases: [AliasListEntry]? = nil, nextMarker: String? = nil, truncated: Bool? = nil) {
        self.aliases = aliases
        self.nextMarker = nextMarker
        self.truncated = truncated
    }
    enum CodingKeys: String, CodingKey { case aliases = "Aliases", nextMarker = "NextMarker", truncated = "Truncated" }
}

/// Input of `CreateAlias`.
public struct CreateAliasRequest: Codable, Sendable, Equatable {
    public var aliasName: String
    public var targetKeyID: String
    public init(aliasName: String, targetKeyID: String) {
        self.aliasName = aliasName
        self.targetKeyID = targetKeyID
    }
    enum CodingKeys: String, CodingKey { case aliasName = "AliasName", targetKeyID = "TargetKeyId" }
}

/// Constraints on a grant (`GrantConstraints`).
public struct GrantConstraints: Codable, Sendable, Equatable {
    public var encryptionContextSubset: [String: String]?
    public var encryptionContextEquals: [String: String]?
    public init(encryptionContextSubset: [String: String]? = nil, encryptionContextEquals: [String: String]? = nil) {
        self.encryptionContextSubset = encryptionContextSubset
        self.encryptionContextEquals = encryptionContextEquals
    }
    enum CodingKeys: String, CodingKey {
        case encryptionContextSubset = "EncryptionContextSubset", encryptionContextEquals = "EncryptionContextEquals"
    }
}

/// One grant (`GrantListEntry`).
public struct GrantListEntry: Codable, Sendable, Equatable {
    public var keyID: String?
    public var grantID: String?
    public var name: String?
    public var creationDate: Date?
    public var granteePrincipal: String?
    public var retiringPrincipal: String?
    public var issuingAccount: String?
    public var operations: [String]?
    public var constraints: GrantConstraints?
    public init(
        keyID: String? = nil, grantID: String? = nil, name: String? = nil, creationDate: Date? = nil,
        granteePrincipal: String? = nil, retiringPrincipal: String? = nil, issuingAccount: String? = nil,
        operations: [String]? = nil, constraints: GrantConstraints? = nil
    ) {
        self.keyID = keyID
        self.grantID = grantID
        self.name = name
        self.creationDate = creationDate
        self.granteePrincipal = granteePrincipal
        self.retiringPrincipal = retiringPrincipal
        self.issuingAccount = issuingAccount
        self.operations = operations
        self.constraints = constraints
    }
    enum CodingKeys: String, CodingKey {
        case keyID = "KeyId", grantID = "GrantId", name = "Name", creationDate = "CreationDate"
        case granteePrincipal = "GranteePrincipal", retiringPrincipal = "RetiringPrincipal"
        case issuingAccount = "IssuingAccount", operations = "Operations", constraints = "Constraints"
    }
}

/// Input of `ListGrants`.
public struct ListGrantsRequest: Codable, Sendable, Equatable {
    public var keyID: String
    public var limit: Int?
    public var marker: String?
    public var grantID: String?
    public var granteePrincipal: String?
    public init(keyID: String, limit: Int? = nil, marker: String? = nil, grantID: String? = nil, granteePrincipal: String? = nil) {
        self.keyID = keyID
        self.limit = limit
        self.marker = marker
        self.grantID = grantID
        self.granteePrincipal = granteePrincipal
    }
    enum CodingKeys: String, CodingKey {
        case keyID = "KeyId", limit = "Limit", marker = "Marker", grantID = "GrantId"
        case granteePrincipal = "GranteePrincipal"
    }
}

/// Output of `ListGrants`.
public struct ListGrantsResponse: Codable, Sendable, Equatable {
    public var grants: [GrantListEntry]?
    public var nextMarker: String?
    public var truncated: Bool?
    public init(grants: [GrantListEntry]? = nil, nextMarker: String? = nil, truncated: Bool? = nil) {
        self.grants = grants
        self.nextMarker = nextMarker
        self.truncated = truncated
    }
    enum CodingKeys: String, CodingKey { case grants = "Grants", nextMarker = "NextMarker", truncated = "Truncated" }
}

/// Input of `CreateGrant`.
public struct CreateGrantRequest: Codable, Sendable, Equatable {
    public var keyID: String
    public var granteePrincipal: String
    public var retiringPrincipal: String?
    public var operations: [String]
    public var constraints: GrantConstraints?
    public var name: String?
    public init(keyID: String, granteePrincipal: String, operations: [String], retiringPrincipal: String? = nil, constraints: GrantConstraints? = nil, name: String? = nil) {
        self.keyID = keyID
        self.granteePrincipal = granteePrincipal
        self.operations = operations
        self.retiringPrincipal = retiringPrincipal
        self.constraints = constraints
        self.name = name
    }
    enum CodingKeys: String, CodingKey {
        case keyID = "KeyId", granteePrincipal = "GranteePrincipal", retiringPrincipal = "RetiringPrincipal"
        case operations = "Operations", constraints = "Constraints", name = "Name"
    }
}

/// Output of `CreateGrant`.
public struct CreateGrantResponse: Codable, Sendable, Equatable {
    public var grantToken: String?
    public var grantID: String?
    public init(grantToken: String? = nil, grantID: String? = nil) {
        self.grantToken = grantToken
        self.grantID = grantID
    }
    enum CodingKeys: String, CodingKey { case grantToken = "GrantToken", grantID = "GrantId" }
}

/// Input of `ListResourceTags`.
public struct ListResourceTagsRequest: Codable, Sendable, Equatable {
    public var keyID: String
    public var limit: Int?
    public var marker: String?
    public init(keyID: String, limit: Int? = nil, marker: String? = nil) {
        self.keyID = keyID
        self.limit = limit
        self.marker = marker
    }
    enum CodingKeys: String, CodingKey { case keyID = "KeyId", limit = "Limit", marker = "Marker" }
}

/// Output of `ListResourceTags`.
public struct ListResourceTagsResponse: Codable, Sendable, Equatable {
    public var tags: [Tag]?
    public var nextMarker: String?
    public var truncated: Bool?
    public init(tags: [Tag]? = nil, nextMarker: String? = nil, truncated: Bool? = nil) {
        self.tags = tags
        self.nextMarker = nextMarker
        self.truncated = truncated
    }
    enum CodingKeys: String, CodingKey { case tags = "Tags", nextMarker = "NextMarker", truncated = "Truncated" }
}

/// Input of `TagResource`.
public struct TagResourceRequest: Codable, Sendable, Equatable {
    public var keyID: String
    public var tags: [Tag]
    public init(keyID: String, tags: [Tag]) {
        self.keyID = keyID
        self.tags = tags
    }
    enum CodingKeys: String, CodingKey { case keyID = "KeyId", tags = "Tags" }
}
