import Foundation

/// The terminal as the CLI sees it: writers for stdout and stderr, whether each is a terminal,
/// and a line reader for prompts. `main.swift` builds the real one; tests capture output.
struct CLIIO: Sendable {
    var writeStdout: @Sendable (String) -> Void
    var writeStderr: @Sendable (String) -> Void
    var isStdoutTTY: Bool
    var isStderrTTY: Bool
    var isStdinTTY: Bool
    /// Reads one line from stdin without its newline, or nil at end of input.
    var readLine: @Sendable () -> String?

    init(
        writeStdout: @escaping @Sendable (String) -> Void, writeStderr: @escaping @Sendable (String) -> Void,
        isStdoutTTY: Bool = false, isStderrTTY: Bool = false, isStdinTTY: Bool = false,
        readLine: @escaping @Sendable () -> String? = { nil }
    ) {
        self.writeStdout = writeStdout
        self.writeStderr = writeStderr
        self.isStdoutTTY = isStdoutTTY
        self.isStderrTTY = isStderrTTY
        self.isStdinTTY = isStdinTTY
        self.readLine = readLine
    }
}
