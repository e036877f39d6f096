import Foundation

/// What running one step found.
enum StepRunOutcome: Sendable {
    case succeeded(StepResult?)
    case waiting(until: Date, StepResult?)
    case failed(StepError)
    case drift([DriftItem])
}
