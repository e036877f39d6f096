import Foundation

/// What a run of `apply` did.
public struct ApplyReport: Sendable {
    public var outcome: ApplyOutcome
    /// How many step executions finished during this run (including polls that found work pending).
    public var stepsRun: Int
    /// The plan as checkpointed at the end of the run.
    public var plan: Plan
    /// Bytes written to the plan file and its journal during the run (checkpointing cost; 0 when unknown).
    public var checkpointBytesWritten: Int
    public init(outcome: ApplyOutcome, stepsRun: Int, plan: Plan, checkpointBytesWritten: Int = 0) {
        self.outcome = outcome
        self.stepsRun = stepsRun
        self.plan = plan
        self.checkpointBytesWritten = checkpointBytesWritten
    }
    /// When the next step is due, if the plan is waiting.
    public var nextActionAt: Date? {
        if case .waiting(let date) = outcome { return date }
        return nil
    }
}
