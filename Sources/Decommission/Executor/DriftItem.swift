import Foundation

/// One difference between live state and the plan.
public struct DriftItem: Codable, Sendable, Equatable, CustomStringConvertible {
    /// What kind of difference.
    public enum Kind: String, Codable, Sendable {
        case storeMissing = "store-missing"
        case storeTypeChanged = "store-type-changed"
        case storeClusterChanged = "store-cluster-changed"
        case storeProxyChanged = "store-proxy-changed"
        case accountChanged = "account-changed"
        case regionChanged = "region-changed"
        case newKey = "new-key"
        case keyStillPresent = "key-still-present"
        case deletionCancelled = "deletion-cancelled"
        case keyReEnabled = "key-re-enabled"
        case keyUsedDuringObservation = "key-used-during-observation"
        /// CloudTrail shows a caller tried to use a disabled or pending key.
        case keyUseAttempted = "key-use-attempted"
    }
    public var kind: Kind
    public var keyID: String?
    public var expected: String
    public var found: String

    public init(kind: Kind, keyID: String? = nil, expected: String, found: String) {
        self.kind = kind
        self.keyID = keyID
        self.expected = expected
        self.found = found
    }

    enum CodingKeys: String, CodingKey { case kind, keyID = "keyId", expected, found }

    public var description: String {
        "\(kind.rawValue)\(keyID.map { " key \($0)" } ?? ""): expected \(expected), found \(found)"
    }
}
