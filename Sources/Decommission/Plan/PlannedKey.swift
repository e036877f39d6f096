import Foundation
import KMSAPI

/// A key of the store, with the evidence gathered about it at plan time.
public struct PlannedKey: Codable, Sendable, Equatable {
    public var keyID: String
    public var arn: String
    /// The key's `KeyState` at plan time (`Unknown` when KMS gave none).
    public var state: KeyState
    public var creationDate: Date?
    public var description: String?
    public var aliases: [String]
    public var grantCount: Int
    public var tags: [PlanTag]
    /// The existing deletion date of a key already pending deletion at plan time.
    public var deletionDate: Date?
    public var xksKeyID: String?
    public var usage: UsageEvidence
    /// What CloudTrail showed at plan time (absent when the plan was made without it).
    public var cloudTrail: KeyTrailEvidence?

    public init(
        keyID: String, arn: String, state: KeyState, creationDate: Date?, description: String?, aliases: [String],
        grantCount: Int, tags: [PlanTag], deletionDate: Date?, xksKeyID: String?, usage: UsageEvidence,
        cloudTrail: KeyTrailEvidence? = nil
    ) {
        self.keyID = keyID
        self.arn = arn
        self.state = state
        self.creationDate = creationDate
        self.description = description
        self.aliases = aliases
        self.grantCount = grantCount
        self.tags = tags
        self.deletionDate = deletionDate
        self.xksKeyID = xksKeyID
        self.usage = usage
        self.cloudTrail = cloudTrail
    }

    /// Whether the key was already pending deletion when planned (its date is kept, never rescheduled).
    public var wasPendingDeletion: Bool { state == .pendingDeletion }

    enum CodingKeys: String, CodingKey {
        case keyID = "keyId", arn, state, creationDate, description, aliases, grantCount, tags, deletionDate
        case xksKeyID = "xksKeyId", usage, cloudTrail
    }
}
