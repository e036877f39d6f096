import Foundation
import KMSAPI

/// One node of a plan's step graph, with its progress.
public struct Step: Codable, Sendable, Equatable {
    public var id: StepID
    public var action: StepAction
    public var keyID: String?
    public var dependsOn: [StepID]
    public var status: StepStatus
    /// The step is not run before this time (set when a wait becomes known, such as a DeletionDate).
    public var notBefore: Date?
    public var attempts: Int
    public var startedAt: Date?
    public var finishedAt: Date?
    public var result: StepResult?
    public var error: StepError?

    public init(id: StepID, action: StepAction, keyID: String? = nil, dependsOn: [StepID] = []) {
        self.id = id
        self.action = action
        self.keyID = keyID
        self.dependsOn = dependsOn
        self.status = .pending
        self.notBefore = nil
        self.attempts = 0
        self.startedAt = nil
        self.finishedAt = nil
        self.result = nil
        self.error = nil
    }

    /// Whether this step has been attempted or has made progress: the one rule behind "has the
    /// plan started" (a pending, skipped or cancelled step that was never attempted has not).
    public var hasStarted: Bool {
        attempts > 0 || !(status == .pending || status == .skipped || status == .cancelled)
    }

    enum CodingKeys: String, CodingKey {
        case id, action, keyID = "keyId", dependsOn, status, notBefore, attempts, startedAt, finishedAt, result, error
    }
}

/// What a finished (or waiting) step learned.
public struct StepResult: Codable, Sendable, Equatable {
    public var deletionDate: Date?
    /// The key's state as the step found or left it (`KeyState.deleted` once KMS forgot it).
    public var keyState: KeyState?
    public var connectionState: ConnectionState?
    public var requestID: String?
    /// A short note for people, such as "already pending deletion; DeletionDate kept".
    public var note: String?
    /// When the step last polled live state (await steps).
    public var lastCheckedAt: Date?
    public var checks: Int?

    public init(
        deletionDate: Date? = nil, keyState: KeyState? = nil, connectionState: ConnectionState? = nil, requestID: String? = nil,
        note: String? = nil, lastCheckedAt: Date? = nil, checks: Int? = nil
    ) {
        self.deletionDate = deletionDate
        self.keyState = keyState
        self.connectionState = connectionState
        self.requestID = requestID
        self.note = note
        self.lastCheckedAt = lastCheckedAt
        self.checks = checks
    }

    enum CodingKeys: String, CodingKey {
        case deletionDate, keyState, connectionState, requestID = "requestId", note, lastCheckedAt, checks
    }
}

/// Why a step failed, or what drift stopped it.
public struct StepError: Codable, Sendable, Equatable {
    /// The error's stable code: a `DecommissionError.Code` or a `KMSError.Code`, as recorded.
    public var code: String
    public var message: String
    public var awsErrorType: String?
    public var requestID: String?
    /// The differences from live state that stopped the step (nil unless it found drift).
    public var drift: [DriftItem]?

    public init(code: String, message: String, awsErrorType: String? = nil, requestID: String? = nil) {
        self.code = code
        self.message = message
        self.awsErrorType = awsErrorType
        self.requestID = requestID
    }

    /// An error with one of this module's codes.
    public init(_ code: DecommissionError.Code, message: String) {
        self.init(code: code.rawValue, message: message)
    }

    /// The record of drift found by a step.
    public init(drift items: [DriftItem]) {
        self.init(.drift, message: "Drift: " + items.map(\.description).joined(separator: "; ") + ".")
        self.drift = items
    }

    /// Whether this records drift (the step stopped the run; the plan is blocked).
    public var isDrift: Bool { drift != nil }

    enum CodingKeys: String, CodingKey { case code, message, awsErrorType, requestID = "requestId", drift }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        code = try container.decode(String.self, forKey: .code)
        message = try container.decode(String.self, forKey: .message)
        awsErrorType = try container.decodeIfPresent(String.self, forKey: .awsErrorType)
        requestID = try container.decodeIfPresent(String.self, forKey: .requestID)
        drift = try container.decodeIfPresent([DriftItem].self, forKey: .drift)
        // Plans written by v0.1 recorded drift by its code alone.
        if drift == nil, code == DecommissionError.Code.drift.rawValue { drift = [] }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(code, forKey: .code)
        try container.encode(message, forKey: .message)
        try container.encodeIfPresent(awsErrorType, forKey: .awsErrorType)
        try container.encodeIfPresent(requestID, forKey: .requestID)
        // An empty list is a v0.1 record read back: written as it was read.
        if let drift, !drift.isEmpty { try container.encode(drift, forKey: .drift) }
    }
}

extension KeyState {
    /// Not an AWS state: what a step records once KMS answers `NotFoundException` for the key.
    public static let deleted: KeyState = "Deleted"
    /// Not an AWS state: what a plan records for a key KMS described without a state.
    public static let unknown: KeyState = "Unknown"
}
