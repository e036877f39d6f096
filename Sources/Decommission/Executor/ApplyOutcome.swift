import Foundation

/// How a run of `apply` ended.
public enum ApplyOutcome: Sendable, Equatable {
    /// Every step is done (exit 0).
    case done
    /// Nothing more is due before `nextActionAt` (exit 75).
    case waiting(nextActionAt: Date)
    /// Live state drifted from the plan; nothing was changed after the drift (exit 3).
    case blocked(drift: [DriftItem])
    /// Steps failed after retries (exit 1); `apply --resume` retries them.
    case failed(steps: [StepID])
    /// The run was cancelled (a signal); state was saved (exit 130/143).
    case interrupted

    /// The `status` word of `apply --output json`.
    public var statusName: String {
        switch self {
        case .done: "done"
        case .waiting: "waiting"
        case .blocked: "blocked"
        case .failed: "failed"
        case .interrupted: "interrupted"
        }
    }
}
