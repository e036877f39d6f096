import Foundation

/// A call `apply --dry-run` would make now.
public struct PlannedCall: Codable, Sendable, Equatable {
    public var stepID: StepID
    public var action: StepAction
    public var operation: String
    public var keyID: String?
    public var keyStoreID: String
    public var changesKMS: Bool
    enum CodingKeys: String, CodingKey { case stepID = "stepId", action, operation, keyID = "keyId", keyStoreID = "keyStoreId", changesKMS }
}
