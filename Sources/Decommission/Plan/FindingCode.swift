import Foundation

/// The stable code of a finding.
public enum FindingCode: String, Codable, Sendable, CaseIterable {
    case keyRecentlyUsed = "key-recently-used"
    case usageUnknownBeforeTracking = "usage-unknown-before-tracking"
    case keyHasGrants = "key-has-grants"
    case keyHasAliases = "key-has-aliases"
    case keyEnabledNoObservation = "key-enabled-no-observation"
    case keyAlreadyPendingDeletion = "key-already-pending-deletion"
    case storeNotConnected = "store-not-connected"
    case storeFailed = "store-failed"
    case storeEmpty = "store-empty"
    case hsmResidue = "hsm-residue"
    case xksResidue = "xks-residue"
    /// CloudTrail shows failed cryptographic or grant calls on the key: something still needs it.
    case keyUseAttempted = "key-use-attempted"
    /// CloudTrail could not be read (denied or unreachable): attempted use cannot be seen.
    case cloudTrailUnavailable = "cloudtrail-unavailable"
}
