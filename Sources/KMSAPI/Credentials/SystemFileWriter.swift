import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Replaces a file's contents; implementations write atomically with mode 0600 (it may hold tokens).
public typealias FileWriter = @Sendable (_ path: String, _ data: Data) throws -> Void

/// Writes files for the composition root: a 0600 temporary file beside the target, fsync, rename.
public enum SystemFileWriter {
    /// Atomically replaces `path` with `data`, leaving the file mode 0600.
    /// - Throws: `KMSError` with `config.credentials-failed` naming the path.
    @Sendable public static func write(_ path: String, _ data: Data) throws {
        let directory = (path as NSString).deletingLastPathComponent
        let temporary = (directory.isEmpty ? "." : directory)
            + "/.\((path as NSString).lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw failure(path) }
        let written = data.withUnsafeBytes { buffer -> Bool in
            var offset = 0
            while offset < buffer.count {
                let count = Glibc.write(fd, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { return false }
                offset += count
            }
            return true
        }
        let synced = written && fchmod(fd, 0o600) == 0 && fsync(fd) == 0
        close(fd)
        guard synced, rename(temporary, path) == 0 else {
            unlink(temporary)
            throw failure(path)
        }
    }

    private static func failure(_ path: String) -> KMSError {
        KMSError(
            code: .credentialsFailed,
            message: "Could not write '\(path)' (errno \(errno)); check the folder's permissions.")
    }
}
