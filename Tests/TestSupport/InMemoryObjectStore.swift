import Decommission
import Foundation
import KMSAPI
import Synchronization

/// An S3 bucket in memory with S3's conditional writes (`If-None-Match: *`, `If-Match`), for the
/// S3 plan storage's unit tests; it counts requests and can run a hook before each one.
public final class InMemoryObjectStore: ObjectStore {
    private struct State {
        var objects: [String: StoredObject] = [:]
        var requests: [String] = []
        var version = 0
    }
    private let state = Mutex(State())
    /// Runs before each request with its operation and key (a test changes objects behind the store's back).
    private let beforeRequest = Mutex<(@Sendable (String, String) -> Void)?>(nil)

    public init() {}

    public var locationDescription: String { "s3://memory" }

    /// Sets the hook run before each request.
    public func onRequest(_ hook: (@Sendable (String, String) -> Void)?) { beforeRequest.withLock { $0 = hook } }

    /// Every request so far, as "Operation key".
    public var requests: [String] { state.withLock { $0.requests } }
    /// Every key, in order.
    public var keys: [String] { state.withLock { $0.objects.keys.sorted() } }
    /// An object's bytes, without counting a request.
    public func body(_ key: String) -> Data? { state.withLock { $0.objects[key]?.body } }

    /// Writes an object unconditionally, without counting a request (another writer).
    public func overwrite(_ key: String, body: Data) {
        state.withLock { state in
            state.version += 1
            state.objects[key] = StoredObject(body: body, etag: S3ETag(rawValue: "\"v\(state.version)\""))
        }
    }

    private func note(_ operation: String, _ key: String) {
        let hook = beforeRequest.withLock { $0 }
        hook?(operation, key)
        state.withLock { $0.requests.append("\(operation) \(key)") }
    }

    public func get(_ key: String) async throws -> StoredObject? {
        note("GetObject", key)
        return state.withLock { $0.objects[key] }
    }

    public func etag(_ key: String) async throws -> S3ETag? {
        note("HeadObject", key)
        return state.withLock { $0.objects[key]?.etag }
    }

    public func put(_ key: String, body: Data, condition: S3WriteCondition) async throws -> S3ETag {
        note("PutObject", key)
        return try state.withLock { state in
            let current = state.objects[key]
            switch condition {
            case .none: break
            case .objectAbsent:
                if current != nil { throw Self.preconditionFailed(key) }
            case .etagMatches(let etag):
                if current?.etag != etag { throw Self.preconditionFailed(key) }
            }
            state.version += 1
            let etag = S3ETag(rawValue: "\"v\(state.version)\"")
            state.objects[key] = StoredObject(body: body, etag: etag)
            return etag
        }
    }

    public func delete(_ key: String, ifMatch: S3ETag?) async throws {
        note("DeleteObject", key)
        try state.withLock { state in
            if let ifMatch, let current = state.objects[key], current.etag != ifMatch { throw Self.preconditionFailed(key) }
            state.objects[key] = nil
        }
    }

    public func list(prefix: String) async throws -> [String] {
        note("ListObjectsV2", prefix)
        return state.withLock { $0.objects.keys.filter { $0.hasPrefix(prefix) }.sorted() }
    }

    private static func preconditionFailed(_ key: String) -> KMSError {
        KMSError(code: .s3PreconditionFailed, message: "At least one of the pre-conditions you specified did not hold (\(key)).")
    }
}
