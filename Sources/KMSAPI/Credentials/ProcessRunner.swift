import Foundation

/// What a finished (or timed-out) child process produced.
public struct ProcessOutput: Sendable, Equatable {
    /// The exit status, or the signal number when `wasSignalled` is true.
    public var status: Int32
    /// Whether the process was ended by a signal.
    public var wasSignalled: Bool
    /// Whether the process was stopped because it ran past its timeout.
    public var timedOut: Bool
    /// Everything written to standard output.
    public var standardOutput: Data
    /// Everything written to standard error.
    public var standardError: Data

    /// Creates an output record.
    public init(status: Int32, wasSignalled: Bool = false, timedOut: Bool = false, standardOutput: Data = Data(), standardError: Data = Data()) {
        self.status = status
        self.wasSignalled = wasSignalled
        self.timedOut = timedOut
        self.standardOutput = standardOutput
        self.standardError = standardError
    }
}

/// Runs a program and collects its output; the seam between credential_process and the OS.
public protocol ProcessRunner: Sendable {
    /// Runs `arguments[0]` (looked up on `PATH` when it has no `/`) with the rest as its arguments.
    /// - Parameters:
    ///   - arguments: the program and its arguments; never empty.
    ///   - environment: the child's whole environment.
    ///   - timeout: how long to wait before terminating the child and reporting `timedOut`.
    /// - Throws: `KMSError` with `config.credentials-failed` when the program cannot be started.
    func run(_ arguments: [String], environment: [String: String], timeout: Duration) async throws -> ProcessOutput
}
