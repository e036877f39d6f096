#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import Foundation
import KMSAPI
import Synchronization

/// Writes the model to `--state` after mutating calls, debounced, atomically (temp file, fsync,
/// rename) with mode 0600, and once more at shutdown.
final class StatePersister: Sendable {
    private let path: String
    private let model: KMSModel
    private let delay: DispatchTimeInterval
    private let queue = DispatchQueue(label: "kms-local-state")
    private let isScheduled = Mutex(false)
    private let onError: @Sendable (String) -> Void

    init(path: String, model: KMSModel, delay: DispatchTimeInterval = .milliseconds(200), onError: @escaping @Sendable (String) -> Void) {
        self.path = path
        self.model = model
        self.delay = delay
        self.onError = onError
    }

    /// Schedules a write unless one is already pending.
    func markDirty() {
        let shouldSchedule = isScheduled.withLock { scheduled -> Bool in
            defer { scheduled = true }
            return !scheduled
        }
        guard shouldSchedule else { return }
        queue.asyncAfter(deadline: .now() + delay) { [self] in
            isScheduled.withLock { $0 = false }
            save()
        }
    }

    /// Writes now, on the caller's thread, after any pending write.
    func flush() {
        queue.sync { save() }
    }

    private func save() {
        do {
            let data = try SeedFile.makeEncoder().encode(model.snapshot().exportSeed())
            try Self.writeAtomically(data, to: path)
        } catch {
            onError("Could not save state to '\(path)': \(error).")
        }
    }

    /// Writes a temporary file beside `path` with mode 0600, fsyncs it and renames it over `path`.
    static func writeAtomically(_ data: Data, to path: String) throws {
        let temporary = path + ".tmp-\(getpid())"
        let fd = open(temporary, O_CREAT | O_TRUNC | O_WRONLY, 0o600)
        guard fd >= 0 else { throw KMSLocalError(code: .stateWriteFailed, message: "Cannot create '\(temporary)' (errno \(errno)).") }
        var offset = 0
        let bytes = [UInt8](data)
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { raw -> Int in
                guard let base = raw.baseAddress else { return -1 }
                return write(fd, base + offset, raw.count - offset)
            }
            if written < 0, errno == EINTR { continue }
            guard written > 0 else {
                close(fd)
                unlink(temporary)
                throw KMSLocalError(code: .stateWriteFailed, message: "Cannot write '\(temporary)' (errno \(errno)).")
            }
            offset += written
        }
        fchmod(fd, 0o600)
        fsync(fd)
        close(fd)
        guard rename(temporary, path) == 0 else {
            unlink(temporary)
            throw KMSLocalError(code: .stateWriteFailed, message: "Cannot replace '\(path)' (errno \(errno)).")
        }
    }
}
