import Foundation

/// Runs async bodies one at a time in call order: a conditional write must not race the next
/// write of the same object (each needs the ETag the last one answered).
actor AsyncSerialQueue {
    private var tail: Task<Void, Never>?

    /// Runs `body` after every body queued before it has finished.
    func run<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let previous = tail
        let task = Task { () async throws -> T in
            await previous?.value
            return try await body()
        }
        tail = Task { _ = try? await task.value }
        return try await task.value
    }
}
