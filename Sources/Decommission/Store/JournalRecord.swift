import Foundation
import KMSAPI

/// One line of a plan's journal: a step's progress after a transition.
public struct JournalRecord: Codable, Sendable, Equatable {
    public var seq: Int
    public var time: Date
    public var stepID: StepID
    public var status: StepStatus
    public var attempts: Int
    public var notBefore: Date?
    public var startedAt: Date?
    public var finishedAt: Date?
    public var result: StepResult?
    public var error: StepError?

    /// Makes the record that snapshots a step's progress.
    public init(seq: Int, time: Date, step: Step) {
        self.seq = seq
        self.time = time
        self.stepID = step.id
        self.status = step.status
        self.attempts = step.attempts
        self.notBefore = step.notBefore
        self.startedAt = step.startedAt
        self.finishedAt = step.finishedAt
        self.result = step.result
        self.error = step.error
    }

    enum CodingKeys: String, CodingKey {
        case seq, time, stepID = "stepId", status, attempts, notBefore, startedAt, finishedAt, result, error
    }

    /// Copies the recorded progress onto a step (replay is idempotent: records are snapshots).
    public func apply(to step: inout Step) {
        step.status = status
        step.attempts = attempts
        step.notBefore = notBefore
        step.startedAt = startedAt
        step.finishedAt = finishedAt
        step.result = result
        step.error = error
    }
}
