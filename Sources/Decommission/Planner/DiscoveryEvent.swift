import Foundation

/// Progress of plan discovery, reported through the planner's injected event handler.
public struct DiscoveryEvent: Sendable, Equatable {
    /// What discovery is doing.
    public enum Phase: String, Sendable {
        /// Looking up the custom key store.
        case resolvingStore = "resolving-store"
        /// Listing and describing the account's keys (evidence for store keys runs alongside).
        case scanning
        /// Every key is described; the evidence of the store's keys is still being read.
        case collectingEvidence = "collecting-evidence"
        /// Discovery is complete.
        case finished
    }

    public var phase: Phase
    /// The store being planned, once resolved.
    public var keyStoreID: String?
    /// Keys described so far (including keys that vanished mid-scan).
    public var scanned: Int
    /// Keys listed by ListKeys so far.
    public var listed: Int
    /// All keys in the account and Region, known once ListKeys has no more pages.
    public var total: Int?
    /// Keys found to belong to the store.
    public var storeKeys: Int
    /// Store keys whose evidence (usage, grants, tags) is complete.
    public var evidenceCollected: Int
    /// Keys described per second since scanning began.
    public var keysPerSecond: Double?
    /// Seconds until discovery is expected to finish, when it can be estimated.
    public var estimatedSecondsRemaining: Double?

    public init(
        phase: Phase, keyStoreID: String? = nil, scanned: Int = 0, listed: Int = 0, total: Int? = nil, storeKeys: Int = 0,
        evidenceCollected: Int = 0, keysPerSecond: Double? = nil, estimatedSecondsRemaining: Double? = nil
    ) {
        self.phase = phase
        self.keyStoreID = keyStoreID
        self.scanned = scanned
        self.listed = listed
        self.total = total
        self.storeKeys = storeKeys
        self.evidenceCollected = evidenceCollected
        self.keysPerSecond = keysPerSecond
        self.estimatedSecondsRemaining = estimatedSecondsRemaining
    }
}
