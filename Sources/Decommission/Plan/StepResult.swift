import Foundation
import KMSAPI

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
    /// The last CloudTrail check of this step (observation, or the guard of a pending key).
    public var evidence: EvidenceCheck?

    public init(
        deletionDate: Date? = nil, keyState: KeyState? = nil, connectionState: ConnectionState? = nil, requestID: String? = nil,
        note: String? = nil, lastCheckedAt: Date? = nil, checks: Int? = nil, evidence: EvidenceCheck? = nil
    ) {
        self.deletionDate = deletionDate
        self.keyState = keyState
        self.connectionState = connectionState
        self.requestID = requestID
        self.note = note
        self.lastCheckedAt = lastCheckedAt
        self.checks = checks
        self.evidence = evidence
    }

    enum CodingKeys: String, CodingKey {
        case deletionDate, keyState, connectionState, requestID = "requestId", note, lastCheckedAt, checks, evidence
    }
}
