import Foundation

/// Progress of a run, for a terminal or a log.
public enum ExecutionEvent: Sendable, Equatable {
    /// A step began.
    case stepStarted(StepID, action: StepAction, keyID: String?)
    /// A step changed state (done, waiting, failed); `note` says what it learned.
    case stepFinished(StepID, status: StepStatus, note: String?)
    /// A step left `running` by a crash was reconciled from live state.
    case reconciled(StepID, note: String)
    /// The overall position: phase, counts, next due time and the point of no return.
    case progress(phase: String, done: Int, total: Int, nextDueAt: Date?, pointOfNoReturn: Date?)
    /// The run sleeps until the next due time.
    case sleeping(until: Date)
    /// Something a person should know that does not stop the run (KMS deleting late).
    case warning(StepID?, message: String)
    /// A CloudTrail check (observation or guard) read the keys' events and found no attempted use.
    case evidenceChecked(kind: String, check: EvidenceCheck)
    /// Drift was found; the run stops.
    case drift([DriftItem])
}
