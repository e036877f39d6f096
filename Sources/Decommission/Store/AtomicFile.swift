import Foundation
import KMSAPI

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes files atomically and durably with POSIX calls: a temporary file in the same folder,
/// `fsync`, `rename` over the target, then `fsync` of the folder, so a crash at any instant leaves
/// either the old or the new content, never a torn file. Files are created with mode 0600.
enum AtomicFile {
    /// Replaces the file at `path` with `data` (KMSAPI's `DurableFileWrite`, the one copy).
    /// - Throws: `DecommissionError` with `io.failed`.
    static func write(_ data: Data, to path: String, mode: mode_t = 0o600) throws {
        if let failure = DurableFileWrite.replace(path, with: data, mode: mode) { throw error(failure) }
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
        if let failure = DurableFileWrite.writeAll(fd, data, path: path) { throw error(failure) }
    }

    private static func error(_ failure: FileWriteFailure) -> DecommissionError {
        DecommissionError(code: .fileSystem, message: "Could not \(failure.action): \(failure.reason).")
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
