/// The exit statuses of every command (SPEC "Exit codes").
enum ExitCode: Int32, Sendable, CaseIterable {
    /// The command finished what it was asked.
    case done = 0
    /// An error remained after retries.
    case failed = 1
    /// A usage error, or an unreadable, invalid or tampered plan file.
    case usage = 2
    /// A person must act: blocking findings, drift, approval, lock held, cancelled plan.
    case needsPerson = 3
    /// Nothing more is due before the printed time; run `apply --resume` then.
    case waiting = 75
    /// Interrupted by SIGINT; state was saved.
    case interrupted = 130
    /// Terminated by SIGTERM; state was saved.
    case terminated = 143
}
