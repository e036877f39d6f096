import Foundation
import KMSAPI

/// One KMS key as the model keeps it.
///
/// `baseState` holds what the key would show with its store connected (Enabled, Disabled or
/// PendingDeletion); `Unavailable` is derived from the store, so a reconnect restores the earlier
/// state and Enable/DisableKey on an unavailable key take effect on reconnect (section 2.3).
struct KeyRecord: Sendable, Equatable {
    var id: String
    /// Creation order, used by ListKeys markers.
    var sequence: Int
    var storeID: String?
    var origin: KeyOrigin
    var baseState: KeyState
    var description: String
    var creationDate: Date
    var deletionDate: Date?
    var pendingWindowInDays: Int?
    /// When the key really vanishes: DeletionDate plus the scaled deletion lag.
    var removalDate: Date?
    var xksKeyID: String?
    var grants: [GrantRecord] = []
    var tags: [Tag] = []
    var lastUsage: UsageRecord?
}

/// A grant on a key.
struct GrantRecord: Sendable, Equatable {
    var grantID: String
    var name: String?
    var granteePrincipal: String
    var retiringPrincipal: String?
    var operations: [String]
    var creationDate: Date
}

/// An alias and the key it points to.
struct AliasRecord: Sendable, Equatable {
    var name: String
    var targetKeyID: String
    var creationDate: Date
}

/// The last successful cryptographic use of a key (GetKeyLastUsage).
struct UsageRecord: Sendable, Equatable {
    var operation: String
    var timestamp: Date
    var requestID: String?
    var cloudTrailEventID: String?
}
