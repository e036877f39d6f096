import Foundation

/// Replaces a file's contents; implementations write atomically with mode 0600 (it may hold tokens).
public typealias FileWriter = @Sendable (_ path: String, _ data: Data) throws -> Void

/// Writes files for the composition root through `DurableFileWrite` (0600, atomic, durable).
public enum SystemFileWriter {
    /// Atomically replaces `path` with `data`, leaving the file mode 0600.
    /// - Throws: `KMSError` with `config.credentials-failed` naming the path.
    @Sendable public static func write(_ path: String, _ data: Data) throws {
        if let failure = DurableFileWrite.replace(path, with: data, mode: 0o600) {
            throw KMSError(
                code: .credentialsFailed,
                message: "Could not \(failure.action): \(failure.reason); check the folder's permissions.")
        }
    }
}
