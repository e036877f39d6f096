import Foundation
import KMSAPI

// MARK: - Aliases, grants, tags and last usage (reference sections 2.2, 3.3 and 5).

extension KMSModel {
    func createAlias(_ input: CreateAliasRequest) throws(ServiceError) -> EmptyResponse {
        try withState { (state, now) throws(ServiceError) in
            let name = input.aliasName
            if name.isEmpty { throw .emptyString("aliasName") }
            guard name.hasPrefix("alias/"), name.count > 6, !name.hasPrefix("alias/aws/") else {
                throw ServiceError("InvalidAliasNameException", "Alias must start with the prefix \"alias/\" and must not begin with \"alias/aws/\".")
            }
            if state.aliases[name] != nil {
                throw ServiceError("AlreadyExistsException", "An alias with the name \(state.aliasArn(name)) already exists")
            }
            let id = try state.resolveKeyID(input.targetKeyID, allowAlias: false)
            try state.check(.createAlias, keyID: id)
            state.aliases[name] = AliasRecord(name: name, targetKeyID: id, creationDate: now)
            return EmptyResponse()
        }
    }

    /// AWS-managed aliases every account lists before any service creates its managed key.
    static let predefinedAliasNames = [
        "alias/aws/acm", "alias/aws/dynamodb", "alias/aws/ebs", "alias/aws/elasticfilesystem", "alias/aws/es",
        "alias/aws/glue", "alias/aws/kinesisvideo", "alias/aws/lambda", "alias/aws/rds", "alias/aws/redshift",
        "alias/aws/s3", "alias/aws/secretsmanager", "alias/aws/ssm", "alias/aws/xray",
    ]

    func listAliases(_ input: ListAliasesRequest) throws(ServiceError) -> ListAliasesResponse {
        try withState { (state, _) throws(ServiceError) in
            let limit = try PageMarker.limit(input.limit, range: 1...100, default: 50)
            var aliases: [AliasListEntry] = state.aliases.values.map {
                AliasListEntry(
                    aliasName: $0.name, aliasArn: state.aliasArn($0.name), targetKeyID: $0.targetKeyID,
                    creationDate: $0.creationDate, lastUpdatedDate: $0.creationDate)
            }
            if let raw = input.keyID {
                let id = try state.resolveKeyID(raw, allowAlias: false)
                aliases = aliases.filter { $0.targetKeyID == id }
            } else {
                // Without KeyId, AWS also lists the predefined AWS-managed aliases, which have no
                // TargetKeyId until a service first creates its AWS managed key (reference 3.3).
                let names = Set(aliases.compactMap(\.aliasName))
                aliases += Self.predefinedAliasNames.filter { !names.contains($0) }.map {
                    AliasListEntry(aliasName: $0, aliasArn: state.aliasArn($0))
                }
            }
            aliases.sort { ($0.aliasName ?? "") < ($1.aliasName ?? "") }
            let page = try PageMarker.page(aliases, kind: "aliases", marker: input.marker, limit: limit)
            let entries = page.items
            return ListAliasesResponse(aliases: entries, nextMarker: page.nextMarker, truncated: page.nextMarker != nil)
        }
    }

    func createGrant(_ input: CreateGrantRequest) throws(ServiceError) -> CreateGrantResponse {
        let grantID = (freshID() + freshID()).replacingOccurrences(of: "-", with: "")
        let token = Data((freshID() + freshID()).utf8).base64EncodedString()
        return try withState { (state, now) throws(ServiceError) in
            if input.granteePrincipal.isEmpty { throw .emptyString("granteePrincipal") }
            if input.operations.isEmpty {
                throw .validation("Value '[]' at 'operations' failed to satisfy constraint: Member must have length greater than or equal to 1")
            }
            let id = try state.resolveKeyID(input.keyID, allowAlias: false)
            try state.check(.createGrant, keyID: id)
            state.keys[id]?.grants.append(
                GrantRecord(
                    grantID: grantID, name: input.name, granteePrincipal: input.granteePrincipal,
                    retiringPrincipal: input.retiringPrincipal, operations: input.operations, creationDate: now))
            return CreateGrantResponse(grantToken: token, grantID: grantID)
        }
    }

    func listGrants(_ input: ListGrantsRequest) throws(ServiceError) -> ListGrantsResponse {
        try withState { (state, _) throws(ServiceError) in
            let limit = try PageMarker.limit(input.limit, range: 1...100, default: 50)
            let id = try state.resolveKeyID(input.keyID, allowAlias: false)
            var grants = state.keys[id]?.grants ?? []
            if let grantID = input.grantID { grants = grants.filter { $0.grantID == grantID } }
            if let grantee = input.granteePrincipal { grants = grants.filter { $0.granteePrincipal == grantee } }
            let page = try PageMarker.page(grants, kind: "grants", marker: input.marker, limit: limit)
            let entries = page.items.map {
                GrantListEntry(
                    keyID: state.keyArn(id), grantID: $0.grantID, name: $0.name, creationDate: $0.creationDate,
                    granteePrincipal: $0.granteePrincipal, retiringPrincipal: $0.retiringPrincipal,
                    issuingAccount: "arn:aws:iam::\(state.accountID):root", operations: $0.operations)
            }
            return ListGrantsResponse(grants: entries, nextMarker: page.nextMarker, truncated: page.nextMarker != nil)
        }
    }

    func tagResource(_ input: TagResourceRequest) throws(ServiceError) -> EmptyResponse {
        try withState { (state, _) throws(ServiceError) in
            let id = try state.resolveKeyID(input.keyID, allowAlias: false)
            try state.check(.tagResource, keyID: id)
            for tag in input.tags {
                if tag.tagKey.isEmpty { throw .emptyString("tags.member.tagKey") }
                // A tag key that exists already gets the new value, as TagResource documents.
                if let index = state.keys[id]?.tags.firstIndex(where: { $0.tagKey == tag.tagKey }) {
                    state.keys[id]?.tags[index].tagValue = tag.tagValue
                } else {
                    state.keys[id]?.tags.append(tag)
                }
            }
            return EmptyResponse()
        }
    }

    func listResourceTags(_ input: ListResourceTagsRequest) throws(ServiceError) -> ListResourceTagsResponse {
        try withState { (state, _) throws(ServiceError) in
            let limit = try PageMarker.limit(input.limit, range: 1...50, default: 50)
            let id = try state.resolveKeyID(input.keyID, allowAlias: false)
            let page = try PageMarker.page(state.keys[id]?.tags ?? [], kind: "tags", marker: input.marker, limit: limit)
            return ListResourceTagsResponse(tags: page.items, nextMarker: page.nextMarker, truncated: page.nextMarker != nil)
        }
    }

    /// Answers GetKeyLastUsage: TrackingStartDate is the later of the global tracking start and the
    /// key's creation; an unused key gets an empty `KeyLastUsage` object.
    func getKeyLastUsage(_ input: KeyIDRequest) throws(ServiceError) -> GetKeyLastUsageResponse {
        try withState { (state, _) throws(ServiceError) in
            let id = try state.resolveKeyID(input.keyID, allowAlias: false)
            guard let key = state.keys[id] else { throw .keyNotFound(arn: state.keyArn(id)) }
            let usage = key.lastUsage.map {
                KeyLastUsage(
                    operation: $0.operation, timestamp: $0.timestamp, cloudTrailEventID: $0.cloudTrailEventID,
                    kmsRequestID: $0.requestID)
            }
            return GetKeyLastUsageResponse(
                keyID: state.keyArn(id), keyLastUsage: usage ?? KeyLastUsage(),
                trackingStartDate: max(state.trackingStartDate, key.creationDate), keyCreationDate: key.creationDate)
        }
    }
}
