import Foundation

/// Runs a profile's `credential_process` command and reads the credentials it prints as JSON.
public struct ProcessCredentialProvider: CredentialProvider {
    /// The command line as written in the profile.
    public let command: String
    /// The profile that named the command, for messages and `Credentials.source`.
    public let profile: String
    private let environment: [String: String]
    private let runner: any ProcessRunner
    private let timeout: Duration

    /// Creates a provider.
    /// - Parameters:
    ///   - command: the `credential_process` value; split like a POSIX shell would, without running one.
    ///   - profile: the profile it came from.
    ///   - environment: the child's environment.
    ///   - runner: runs the command.
    ///   - timeout: how long the command may run (60 seconds by default).
    public init(
        command: String, profile: String, environment: [String: String], runner: any ProcessRunner, timeout: Duration = .seconds(60)
    ) {
        self.command = command
        self.profile = profile
        self.environment = environment
        self.runner = runner
        self.timeout = timeout
    }

    /// Runs the command and returns the credentials it printed.
    /// - Throws: `KMSError` with `config.credentials-failed` when the command cannot be split or started,
    ///   exits non-zero, times out, or prints JSON that is malformed, has `Version` other than 1 or lacks keys.
    ///   Messages never include the command's output, which holds secrets.
    public func credentials() async throws -> Credentials {
        let arguments: [String]
        do {
            arguments = try CommandLineSplitter.split(command)
        } catch {
            throw failure("has an unbalanced quote or a trailing backslash; fix the command line")
        }
        guard let program = arguments.first else { throw failure("is empty; set it to a command or remove it") }
        let output = try await runner.run(arguments, environment: environment, timeout: timeout)
        if output.timedOut {
            throw failure("did not finish within \(timeout.components.seconds) seconds and was stopped")
        }
        if output.wasSignalled {
            throw failure("was killed by signal \(output.status)")
        }
        guard output.status == 0 else {
            throw failure("'\(program)' exited with status \(output.status); run it yourself to see why")
        }
        let source = "the credential_process of profile '\(profile)'"
        let document = try CredentialsDocument.decode(output.standardOutput, from: source)
        guard let version = document.version else {
            throw KMSError(code: .credentialsFailed, message: "The answer from \(source) has no Version; it must be 1.")
        }
        guard version == 1 else {
            throw KMSError(code: .credentialsFailed, message: "The answer from \(source) has Version \(version); this tool reads Version 1.")
        }
        return try document.makeCredentials(from: source, label: "credential_process (profile \(profile))")
    }

    private func failure(_ what: String) -> KMSError {
        KMSError(code: .credentialsFailed, message: "The credential_process of profile '\(profile)' \(what).")
    }
}
