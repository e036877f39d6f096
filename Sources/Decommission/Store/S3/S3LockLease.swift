import Foundation
import KMSAPI
import Synchronization

/// A held `S3PlanLock`: renews the lock object with `If-Match` (its own last ETag) before the
/// lease ends, from a heartbeat every third of the lease and whenever the executor or the
/// checkpoint store asks. A failed condition means the lock was taken over: the lease is lost
/// and every later check throws `apply.lock-held`.
public final class S3LockLease: LockLease {
    private struct State {
        var etag: S3ETag
        var expiresAt: Date
        var lost: DecommissionError?
        var released = false
    }

    public let holder: LockHolder
    private let objects: any ObjectStore
    private let keys: S3PlanKeys
    private let location: String
    private let settings: S3LockSettings
    private let state: Mutex<State>
    private let queue = AsyncSerialQueue()
    private let heartbeat = Mutex<Task<Void, Never>?>(nil)

    init(holder: LockHolder, etag: S3ETag, objects: any ObjectStore, keys: S3PlanKeys, location: String, settings: S3LockSettings) {
        self.holder = holder
        self.objects = objects
        self.keys = keys
        self.location = location
        self.settings = settings
        self.state = Mutex(State(etag: etag, expiresAt: holder.leaseExpiresAt ?? settings.now()))
        let period = settings.lease / 3
        let task = Task { [weak self, clock = settings.clock, now = settings.now] in
            while !Task.isCancelled {
                do { try await clock.sleep(for: period) } catch { return }
                guard let self else { return }
                do { try await self.renew(at: now()) } catch { return }
            }
        }
        heartbeat.withLock { $0 = task }
    }

    /// When the lease ends unless renewed.
    public var expiresAt: Date { state.withLock { $0.expiresAt } }

    public func renew(at now: Date) async throws {
        try await queue.run { try await self.renewNow(now) }
    }

    /// Throws unless the lease is held for at least half its length from `now`, renewing it first
    /// when less is left: checked before every change to KMS, so a runner whose lease could have
    /// expired (and been taken over) changes nothing.
    public func ensureHeld(at now: Date) async throws {
        try await queue.run {
            let (lost, expiresAt) = self.state.withLock { ($0.lost, $0.expiresAt) }
            if let lost { throw lost }
            if expiresAt.timeIntervalSince(now) < self.settings.leaseSeconds / 2 { try await self.renewNow(now) }
        }
    }

    private func renewNow(_ now: Date) async throws {
        let (etag, lost, released) = state.withLock { ($0.etag, $0.lost, $0.released) }
        if let lost { throw lost }
        guard !released else { return }
        var record = holder
        record.leaseExpiresAt = now.addingTimeInterval(settings.leaseSeconds)
        let body = try JSONCoding.makeCompactEncoder().encode(record)
        do {
            let next = try await objects.put(keys.lock, body: body, condition: .etagMatches(etag))
            state.withLock {
                $0.etag = next
                $0.expiresAt = record.leaseExpiresAt ?? now
            }
        } catch where isS3ConditionFailure(error) {
            let current = try? await objects.get(keys.lock)
            let other = current.flatMap { try? JSONCoding.makeDecoder().decode(LockHolder.self, from: $0.body) }
            let error = DecommissionError(
                code: .lockHeld,
                message: "The lock on plan '\(location)' was lost\(other.map { " to \($0.summary)" } ?? ""): its lease ran out; this run stops and changes nothing more.",
                lockHolder: other)
            state.withLock { $0.lost = error }
            throw error
        }
    }

    public func release() async {
        heartbeat.withLock { $0?.cancel() }
        _ = try? await queue.run {
            // A lost lock belongs to someone else now, and a released one is gone: leave both.
            let etag = self.state.withLock { state -> S3ETag? in
                defer { state.released = true }
                return state.released || state.lost != nil ? nil : state.etag
            }
            guard let etag else { return }
            try await self.objects.delete(self.keys.lock, ifMatch: etag)
        }
    }

    deinit {
        heartbeat.withLock { $0?.cancel() }
    }
}
