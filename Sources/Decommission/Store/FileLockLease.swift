import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A held `FilePlanLock`: the open, flocked descriptor.
final class FileLockLease: LockLease {
    let holder: LockHolder
    // The descriptor, nil once released, so releasing twice never closes a reused descriptor.
    private let descriptor: Mutex<Int32?>

    init(holder: LockHolder, fd: Int32) {
        self.holder = holder
        self.descriptor = Mutex(fd)
    }

    func renew(at now: Date) async throws {}

    func release() async {
        guard let fd = descriptor.withLock({ value -> Int32? in
            defer { value = nil }
            return value
        }) else { return }
        _ = ftruncate(fd, 0)
        _ = flock(fd, LOCK_UN)
        close(fd)
    }

    deinit {
        // A lease dropped without release still frees the lock (the kernel would at exit).
        if let fd = descriptor.withLock({ $0 }) {
            _ = flock(fd, LOCK_UN)
            close(fd)
        }
    }
}
