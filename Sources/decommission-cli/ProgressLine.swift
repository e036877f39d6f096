/// One self-overwriting status line on stderr, shown only when stderr is a terminal.
struct ProgressLine: Sendable {
    let io: CLIIO

    /// Whether progress is shown at all.
    var isEnabled: Bool { io.isStderrTTY }

    /// Replaces the line's text.
    func update(_ text: String) {
        guard isEnabled else { return }
        io.writeStderr("\r\u{1B}[2K" + text)
    }

    /// Clears the line so ordinary output continues on a clean line.
    func clear() {
        guard isEnabled else { return }
        io.writeStderr("\r\u{1B}[2K")
    }
}
