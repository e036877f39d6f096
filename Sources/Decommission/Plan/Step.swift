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
