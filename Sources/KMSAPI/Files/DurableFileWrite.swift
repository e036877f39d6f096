import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What failed while writing a file, for the caller's own error type.
public struct FileWriteFailure: Sendable, Equatable {
    /// The step that failed, such as "replace '/x/plan.json'".
    public let action: String
    /// The system's reason (`strerror(errno)`).
    public let reason: String
}

/// The one atomic, durable file replacement of this project (plans, caches, token write-back).
///
/// A temporary file in the same folder, created with `mode`, written fully, `fchmod`, `fsync`,
/// `rename` over the target, then `fsync` of the folder: a crash at any instant leaves the old or
/// the new content, never a torn file, and never a wider mode than asked.
public enum DurableFileWrite {
    /// Replaces the file at `path` with `data`.
    /// - Returns: nil on success, else what failed (the temporary file is removed).
    public static func replace(_ path: String, with data: Data, mode: mode_t = 0o600) -> FileWriteFailure? {
        let directory = (path as NSString).deletingLastPathComponent
        let base = (path as NSString).lastPathComponent
        let temporary = (directory.isEmpty ? "." : directory) + "/.\(base).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { return failure("create a temporary file beside '\(path)'") }
        if let failure = writeAll(fd, data, path: temporary) ?? (fchmod(fd, mode) == 0 ? nil : failure("set the mode of '\(temporary)'"))
            ?? (fsync(fd) == 0 ? nil : failure("flush '\(temporary)' to disk"))
        {
            close(fd)
            unlink(temporary)
            return failure
        }
        guard close(fd) == 0 else {
            let failure = failure("close '\(temporary)'")
            unlink(temporary)
            return failure
        }
        guard rename(temporary, path) == 0 else {
            let failure = failure("replace '\(path)'")
            unlink(temporary)
            return failure
        }
        syncDirectory(directory.isEmpty ? "." : directory)
        return nil
    }

    /// Writes all of `data` to `fd`, retrying short writes and EINTR.
    public static func writeAll(_ fd: Int32, _ data: Data, path: String) -> FileWriteFailure? {
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> FileWriteFailure? in
            var offset = 0
            while offset < raw.count {
                let written = systemWrite(fd, raw.baseAddress.map { $0 + offset }, raw.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return failure("write '\(path)'")
                }
                offset += written
            }
            return nil
        }
    }

    private static func syncDirectory(_ directory: String) {
        let fd = open(directory, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return }
        // Best effort: some file systems refuse fsync on a folder; the rename is still atomic.
        _ = fsync(fd)
        close(fd)
    }

    private static func failure(_ action: String) -> FileWriteFailure {
        FileWriteFailure(action: action, reason: String(cString: strerror(errno)))
    }
}

// The unqualified name collides with members in some contexts; this spells out the C function.
@inline(__always) private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
    write(fd, buffer, count)
}
