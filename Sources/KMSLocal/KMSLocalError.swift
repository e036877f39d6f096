/// An error of kms-local itself (its command line, seed and state files, socket), with a stable code.
///
/// The emulator's KMS answers are AWS error responses on the wire, never this type; this is what
/// `KMSLocalArguments.parse` and `KMSLocalServer.start` throw. `code` is for programs, `message`
/// one line for people.
public struct KMSLocalError: Error, Sendable, CustomStringConvertible {
    /// A stable, machine-readable code written as `kms-local.kebab-reason`.
    public enum Code: String, Sendable, CaseIterable, CustomStringConvertible {
        /// The command line names an option kms-local does not have.
        case unknownOption = "kms-local.unknown-option"
        /// An option's value is missing, malformed or out of range.
        case invalidValue = "kms-local.invalid-value"
        /// The seed or state file cannot be read or is not JSON in the seed format.
        case unreadableSeed = "kms-local.unreadable-seed"
        /// The seed is well-formed but describes something kms-local cannot build (unknown store, duplicate id).
        case invalidSeed = "kms-local.invalid-seed"
        /// The address cannot be listened on (malformed, or the port is taken).
        case listenFailed = "kms-local.listen-failed"
        /// The state file cannot be written.
        case stateWriteFailed = "kms-local.state-write-failed"
        /// `start()` was called on a server that was already started.
        case alreadyStarted = "kms-local.already-started"

        public var description: String { rawValue }
    }

    /// What went wrong, for programs.
    public let code: Code
    /// One sentence for people: what is wrong and what to do.
    public let message: String
    /// The error underneath (a decoding or file error), if any.
    public var underlying: (any Error & Sendable)?

    /// Creates an error with its code and message.
    public init(code: Code, message: String, underlying: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }

    public var description: String { "\(message) [\(code)]" }
}
