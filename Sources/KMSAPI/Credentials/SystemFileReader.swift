import Foundation

/// Reads files from the local file system for the composition root; libraries take a `FileReader`.
public enum SystemFileReader {
    /// Reads a whole file, returning nil when it does not exist.
    /// - Throws: the underlying error when the file exists but cannot be read.
    @Sendable public static func read(_ path: String) throws -> Data? {
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path))
        } catch let error as CocoaError where error.code == .fileReadNoSuchFile || error.code == .fileNoSuchFile {
            return nil
        }
    }
}
