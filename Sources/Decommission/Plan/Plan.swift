import Foundation
import KMSAPI

/// A decommission plan: what will be done to which store and keys, why it is safe, and how far it
/// has got. Persisted as the plan file (schema version 1); see `plans/README.md`.
public struct Plan: Codable, Sendable, Equatable {
    /// The schema version this build writes and reads.
    public static let currentSchemaVersion = 1
    /// The `kind` every plan file carries.
    public static let kindName = "kms-custom-key-store-decommission"

    public var schemaVersion: Int
    public var kind: String
    public var planID: String
    public var createdAt: Date
    public var toolVersion: String
    /// SHA-256 (lowercase hex) of the plan's intent; see `PlanFingerprint`.
    public var fingerprint: String
    public var target: PlanTarget
    public var options: PlanOptions
    public var keys: [PlannedKey]
    public var findings: [Finding]
    /// Whether unwaived blocking findings keep the plan from being applied.
    public var blocked: Bool
    public var approval: Approval?
    /// Set once `cancel` has run; the plan then refuses `apply`.
    public var cancellation: Cancellation?
    public var steps: [Step]
    public var updatedAt: Date?

    public init(
        planID: String, createdAt: Date, toolVersion: String, target: PlanTarget, options: PlanOptions,
        keys: [PlannedKey], findings: [Finding], steps: [Step]
    ) {
        self.schemaVersion = Self.currentSchemaVersion
        self.kind = Self.kindName
        self.planID = planID
        self.createdAt = createdAt
        self.toolVersion = toolVersion
        self.fingerprint = ""
        self.target = target
        self.options = options
        self.keys = keys
        self.findings = findings
        self.blocked = findings.contains { $0.severity == .block && !$0.waived }
        self.approval = nil
        self.cancellation = nil
        self.steps = steps
        self.updatedAt = nil
    }

    enum CodingKeys: String, CodingKey {
        case schemaVersion, kind, planID = "planId", createdAt, toolVersion, fingerprint, target, options
        case keys, findings, blocked, approval, cancellation, steps, updatedAt
    }

    /// Whether the plan has started: approved, cancelled, or any step started (`Step.hasStarted`).
    /// A started plan needs `apply --resume`, and `plan` will not replace it without `--force`.
    public var hasStarted: Bool {
        approval != nil || cancellation != nil || hasStartedSteps
    }

    /// Whether any step has started.
    public var hasStartedSteps: Bool { steps.contains { $0.hasStarted } }

    /// Whether every step is done or skipped.
    public var isComplete: Bool {
        // By index: iterating by value would copy every step.
        steps.indices.allSatisfy { steps[$0].status == .done || steps[$0].status == .skipped }
    }

    /// Returns the index of a step by id.
    public func stepIndex(_ id: StepID) -> Int? { steps.firstIndex { $0.id == id } }
}

/// The key store a plan retires, as found at plan time.
public struct PlanTarget: Codable, Sendable, Equatable {
    public var accountID: String?
    public var region: String
    public var endpoint: String
    public var keyStoreID: String
    public var keyStoreName: String?
    /// Written as AWS spells it (`AWS_CLOUDHSM`, `EXTERNAL_KEY_STORE`).
    public var keyStoreType: CustomKeyStoreType
    public var cloudHsmClusterID: String?
    public var xksProxy: XksProxyTarget?
    /// The store's `ConnectionState` at plan time.
    public var connectionState: ConnectionState
    public var connectionErrorCode: ConnectionErrorCode?

    public init(
        accountID: String?, region: String, endpoint: String, keyStoreID: String, keyStoreName: String?,
        keyStoreType: CustomKeyStoreType, cloudHsmClusterID: String?, xksProxy: XksProxyTarget?, connectionState: ConnectionState,
        connectionErrorCode: ConnectionErrorCode? = nil
    ) {
        self.accountID = accountID
        self.region = region
        self.endpoint = endpoint
        self.keyStoreID = keyStoreID
        self.keyStoreName = keyStoreName
        self.keyStoreType = keyStoreType
        self.cloudHsmClusterID = cloudHsmClusterID
        self.xksProxy = xksProxy
        self.connectionState = connectionState
        self.connectionErrorCode = connectionErrorCode
    }

    /// Whether the store is a CloudHSM key store.
    public var isCloudHSM: Bool { keyStoreType == .cloudHSM }

    enum CodingKeys: String, CodingKey {
        case accountID = "accountId", region, endpoint, keyStoreID = "keyStoreId", keyStoreName, keyStoreType
        case cloudHsmClusterID = "cloudHsmClusterId", xksProxy, connectionState, connectionErrorCode
    }
}

/// The proxy of an external key store.
public struct XksProxyTarget: Codable, Sendable, Equatable {
    public var connectivity: XksProxyConnectivity?
    public var uriEndpoint: String?
    public var uriPath: String?
    public var vpcEndpointServiceName: String?
    public init(connectivity: XksProxyConnectivity?, uriEndpoint: String?, uriPath: String?, vpcEndpointServiceName: String?) {
        self.connectivity = connectivity
        self.uriEndpoint = uriEndpoint
        self.uriPath = uriPath
        self.vpcEndpointServiceName = vpcEndpointServiceName
    }
}

/// The options a plan was made with.
public struct PlanOptions: Codable, Sendable, Equatable {
    public var pendingWindowDays: Int
    public var observeDays: Double
    public var minIdleDays: Double
    public var connect: Bool
    /// The `--accept` arguments, as given (`CODE` or `CODE:KEY`).
    public var accepted: [String]

    public init(pendingWindowDays: Int = 30, observeDays: Double = 0, minIdleDays: Double = 30, connect: Bool = false, accepted: [String] = []) {
        self.pendingWindowDays = pendingWindowDays
        self.observeDays = observeDays
        self.minIdleDays = minIdleDays
        self.connect = connect
        self.accepted = accepted
    }
}

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

    public init(
        keyID: String, arn: String, state: KeyState, creationDate: Date?, description: String?, aliases: [String],
        grantCount: Int, tags: [PlanTag], deletionDate: Date?, xksKeyID: String?, usage: UsageEvidence
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
    }

    /// Whether the key was already pending deletion when planned (its date is kept, never rescheduled).
    public var wasPendingDeletion: Bool { state == .pendingDeletion }

    enum CodingKeys: String, CodingKey {
        case keyID = "keyId", arn, state, creationDate, description, aliases, grantCount, tags, deletionDate
        case xksKeyID = "xksKeyId", usage
    }
}

/// A resource tag as recorded in a plan.
public struct PlanTag: Codable, Sendable, Equatable {
    public var key: String
    public var value: String
    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}

/// What GetKeyLastUsage proved about a key's use.
public struct UsageEvidence: Codable, Sendable, Equatable {
    /// How to read the evidence.
    public enum Verdict: String, Codable, Sendable {
        /// A successful cryptographic use is recorded (`lastUsedAt`).
        case used
        /// No use since creation: tracking began on or before the key was created.
        case neverUsed = "never-used"
        /// No use since tracking began, but the key is older than tracking: earlier use is possible.
        case unknownBeforeTracking = "unknown-before-tracking"
    }

    public var verdict: Verdict
    public var trackingStartDate: Date?
    public var lastUsedAt: Date?
    public var operation: String?
    public var kmsRequestID: String?

    public init(verdict: Verdict, trackingStartDate: Date?, lastUsedAt: Date? = nil, operation: String? = nil, kmsRequestID: String? = nil) {
        self.verdict = verdict
        self.trackingStartDate = trackingStartDate
        self.lastUsedAt = lastUsedAt
        self.operation = operation
        self.kmsRequestID = kmsRequestID
    }

    enum CodingKeys: String, CodingKey {
        case verdict, trackingStartDate, lastUsedAt, operation, kmsRequestID = "kmsRequestId"
    }
}

/// A safety finding about the store or one key.
public struct Finding: Codable, Sendable, Equatable {
    /// How serious a finding is.
    public enum Severity: String, Codable, Sendable, Comparable {
        case block, warn, info
        private var rank: Int { self == .block ? 0 : self == .warn ? 1 : 2 }
        public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
    }

    public var code: FindingCode
    public var severity: Severity
    public var keyID: String?
    public var message: String
    /// Whether `--accept` waived this finding (only blocking findings are waived).
    public var waived: Bool

    public init(code: FindingCode, severity: Severity, keyID: String?, message: String, waived: Bool = false) {
        self.code = code
        self.severity = severity
        self.keyID = keyID
        self.message = message
        self.waived = waived
    }

    enum CodingKeys: String, CodingKey { case code, severity, keyID = "keyId", message, waived }
}

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
}

/// Who approved a plan, when and how.
public struct Approval: Codable, Sendable, Equatable {
    /// How approval was given.
    public enum Method: String, Codable, Sendable {
        case prompt, fingerprint
    }
    public var approvedAt: Date
    public var method: Method
    public var fingerprint: String
    /// The local user and host, for the change record (no credentials).
    public var approvedBy: String?
    public init(approvedAt: Date, method: Method, fingerprint: String, approvedBy: String?) {
        self.approvedAt = approvedAt
        self.method = method
        self.fingerprint = fingerprint
        self.approvedBy = approvedBy
    }
}

/// The record of a `cancel`.
public struct Cancellation: Codable, Sendable, Equatable {
    public var cancelledAt: Date
    public var reEnable: Bool
    public var savedKeys: [String]
    public var unsavableKeys: [String]
    public var leftPendingKeys: [String]
    public var completed: Bool
    public init(cancelledAt: Date, reEnable: Bool, savedKeys: [String] = [], unsavableKeys: [String] = [], leftPendingKeys: [String] = [], completed: Bool = false) {
        self.cancelledAt = cancelledAt
        self.reEnable = reEnable
        self.savedKeys = savedKeys
        self.unsavableKeys = unsavableKeys
        self.leftPendingKeys = leftPendingKeys
        self.completed = completed
    }
}
