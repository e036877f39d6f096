import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes files atomically and durably with POSIX calls: a temporary file in the same folder,
/// `fsync`, `rename` over the target, then `fsync` of the folder, so a crash at any instant leaves
/// either the old or the new content, never a torn file. Files are created with mode 0600.
enum AtomicFile {
    /// Replaces the file at `path` with `data`.
    /// - Throws: `DecommissionError` with `io.failed`.
    static func write(_ data: Data, to path: String, mode: mode_t = 0o600) throws {
        let directory = (path as NSString).deletingLastPathComponent
        let base = (path as NSString).lastPathComponent
        let temporary = (directory.isEmpty ? "." : directory) + "/.\(base).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw posixError("create a temporary file beside '\(path)'") }
        var closed = false
        defer {
            if !closed { close(fd) }
        }
        do {
            try writeAll(fd, data, path: temporary)
            guard fchmod(fd, mode) == 0 else { throw posixError("set the mode of '\(temporary)'") }
            guard fsync(fd) == 0 else { throw posixError("flush '\(temporary)' to disk") }
            closed = true
            guard close(fd) == 0 else { throw posixError("close '\(temporary)'") }
            guard rename(temporary, path) == 0 else { throw posixError("replace '\(path)'") }
        } catch {
            unlink(temporary)
            throw error
        }
        syncDirectory(directory.isEmpty ? "." : directory)
    }

    /// Appends `data` to the file at `path` (created 0600 if missing) and fsyncs it.
    static func append(_ data: Data, to path: String, sync: Bool = true) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw posixError("open '\(path)' for appending") }
        defer { close(fd) }
        try writeAll(fd, data, path: path)
        if sync, fsync(fd) != 0 { throw posixError("flush '\(path)' to disk") }
    }

    /// Reads a whole file, or nil when it does not exist.
    static func read(_ path: String) throws -> Data? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw posixError("open '\(path)'")
        }
        defer { close(fd) }
        var result = Data()
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc_read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw posixError("read '\(path)'")
            }
            if count == 0 { break }
            result.append(contentsOf: buffer[0..<count])
        }
        return result
    }

    /// Whether a file exists at `path`.
    static func exists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }

    private static func writeAll(_ fd: Int32, _ data: Data, path: String) throws {
        try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            var offset = 0
            while offset < raw.count {
                let written = Glibc_write(fd, raw.baseAddress.map { $0 + offset }, raw.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw posixError("write '\(path)'")
                }
                offset += written
            }
        }
    }

    private static func syncDirectory(_ directory: String) {
        let fd = open(directory, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return }
        // Best effort: some file systems refuse fsync on a folder; the rename is still atomic.
        _ = fsync(fd)
        close(fd)
    }

    static func posixError(_ what: String) -> DecommissionError {
        let reason = String(cString: strerror(errno))
        return DecommissionError(code: .fileSystem, message: "Could not \(what): \(reason).")
    }
}

// The unqualified names collide with members in some contexts; these spell out the C functions.
@inline(__always) private func Glibc_read(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(fd, buffer, count)
}
@inline(__always) private func Glibc_write(_ fd: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
    write(fd, buffer, count)
}
