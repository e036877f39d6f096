import Foundation

/// What a plan step does.
public enum StepAction: String, Codable, Sendable, CaseIterable {
    /// Reads the store and checks it is the one planned (type, cluster or proxy, account, Region).
    case verifyStore = "verify-store"
    /// Connects a disconnected CloudHSM store so KMS can delete key material from the cluster.
    case connectStore = "connect-store"
    /// Waits until the store reads CONNECTED.
    case awaitStoreConnected = "await-store-connected"
    /// Rescans the store before the first change; any drift stops the run.
    case preflightRescan = "preflight-rescan"
    /// Disables one key for the observation phase.
    case disableKey = "disable-key"
    /// Waits out the observation period, then checks keys are still disabled and unused.
    case observe = "observe"
    /// Schedules one key's deletion (the point of no return once its window ends).
    case scheduleDeletion = "schedule-deletion"
    /// Waits until one key is gone (`NotFoundException`).
    case awaitDeletion = "await-deletion"
    /// Rescans the store before disconnecting; it must hold no keys.
    case rescanBeforeDisconnect = "rescan-before-disconnect"
    /// Disconnects the store.
    case disconnectStore = "disconnect-store"
    /// Waits until the store reads DISCONNECTED.
    case awaitStoreDisconnected = "await-store-disconnected"
    /// Deletes the store.
    case deleteStore = "delete-store"
    /// Checks the store is gone (`CustomKeyStoreNotFoundException`).
    case verifyStoreDeleted = "verify-store-deleted"

    /// Whether the step changes state in KMS (needs an intent record and an audit entry).
    public var isMutating: Bool {
        switch self {
        case .connectStore, .disableKey, .scheduleDeletion, .disconnectStore, .deleteStore: true
        default: false
        }
    }

    /// Whether the step concerns one key.
    public var isPerKey: Bool {
        self == .disableKey || self == .scheduleDeletion || self == .awaitDeletion
    }
}

/// The progress of a plan step.
public enum StepStatus: String, Codable, Sendable, CaseIterable {
    case pending, running, waiting, done, failed, skipped, cancelled

    /// Whether the step will not run again.
    public var isFinished: Bool { self == .done || self == .skipped || self == .cancelled }
}
