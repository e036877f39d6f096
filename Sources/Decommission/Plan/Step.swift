import Foundation

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
    public var keyState: String?
    public var connectionState: String?
    public var requestID: String?
    /// A short note for people, such as "already pending deletion; DeletionDate kept".
    public var note: String?
    /// When the step last polled live state (await steps).
    public var lastCheckedAt: Date?
    public var checks: Int?

    public init(
        deletionDate: Date? = nil, keyState: String? = nil, connectionState: String? = nil, requestID: String? = nil,
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

/// Why a step failed.
public struct StepError: Codable, Sendable, Equatable {
    public var code: String
    public var message: String
    public var awsErrorType: String?
    public var requestID: String?
    public init(code: String, message: String, awsErrorType: String? = nil, requestID: String? = nil) {
        self.code = code
        self.message = message
        self.awsErrorType = awsErrorType
        self.requestID = requestID
    }
    enum CodingKeys: String, CodingKey { case code, message, awsErrorType, requestID = "requestId" }
}
