import Foundation
import KMSAPI

/// What running one step found.
enum StepRunOutcome: Sendable {
    case succeeded(StepResult?)
    case waiting(until: Date, StepResult?)
    case failed(StepError)
    case drift([DriftItem])
    /// The credentials need a person to sign in again (`config.sign-in-required`): the step is left
    /// as it was journaled (started), so the next run reconciles it from live state before anything
    /// is sent, exactly as after a crash.
    case signInRequired(KMSError)
}
