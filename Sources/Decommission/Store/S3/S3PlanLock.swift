import Foundation
import KMSAPI

/// The lock on a plan in S3: the object `NAME.lock`, created with `If-None-Match: *` so exactly
/// one of two racing runners wins, holding its holder and a lease expiry that the holder renews.
///
/// A lock whose lease has expired (its holder died) is taken over only with `If-Match` on the
/// expired object's ETag (so of two runners taking it over, one wins), and the takeover is written
/// to the plan's audit trail.
public struct S3PlanLock: PlanLock {
    let objects: any ObjectStore
    let keys: S3PlanKeys
    let location: String
    let settings: S3LockSettings
    /// Receives the lease once held, so the checkpoint store can check it before each change.
    let onAcquire: @Sendable (S3LockLease) -> Void

    public func acquire(as holder: LockHolder) async throws -> any LockLease {
        var record = holder
        record.runner = record.runner ?? settings.runner
        for _ in 0..<4 {
            let now = settings.now()
            record.leaseExpiresAt = now.addingTimeInterval(settings.leaseSeconds)
            let body = try JSONCoding.makeCompactEncoder().encode(record)
            do {
                let etag = try await objects.put(keys.lock, body: body, condition: .objectAbsent)
                return started(record, etag: etag)
            } catch where isS3ConditionFailure(error) {}
            // Held (or being written): read who has it.
            guard let current = try await objects.get(keys.lock) else { continue }
            guard let existing = try? JSONCoding.makeDecoder().decode(LockHolder.self, from: current.body) else {
                throw DecommissionError(
                    code: .lockHeld,
                    message: "Plan '\(location)' is locked, but its lock object '\(keys.lock)' does not name a holder; make sure no run is going on, then delete that object.")
            }
            guard let expiry = existing.leaseExpiresAt, expiry < now else { throw Self.held(location, by: existing) }
            do {
                let etag = try await objects.put(keys.lock, body: body, condition: .etagMatches(current.etag))
                try await auditTakeover(of: existing, expiredAt: expiry, now: now)
                return started(record, etag: etag)
            } catch where isS3ConditionFailure(error) {
                // Another runner took it over first: read it again and name it.
            }
        }
        throw DecommissionError(
            code: .lockHeld, message: "Plan '\(location)' is being locked and unlocked by other runs; wait for them, then try again.")
    }

    private func started(_ holder: LockHolder, etag: S3ETag) -> S3LockLease {
        let lease = S3LockLease(holder: holder, etag: etag, objects: objects, keys: keys, location: location, settings: settings)
        onAcquire(lease)
        return lease
    }

    /// Writes the takeover to the audit trail, naming the holder whose lease expired.
    private func auditTakeover(of previous: LockHolder, expiredAt expiry: Date, now: Date) async throws {
        let planID = (try? await objects.get(keys.plan)).flatMap { object in
            object.flatMap { try? JSONCoding.makeDecoder().decode(PlanIdentity.self, from: $0.body).planID }
        } ?? "unknown"
        let format = ISO8601DateFormatter()
        format.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        try await S3AuditTrail(objects: objects, keys: keys, planID: planID, runner: settings.runner).record(
            time: now, stepID: StepID(rawValue: "lock"), operation: "TakeOverExpiredLock", keyID: nil, keyStoreID: nil,
            outcome: .ok, awsErrorType: nil, requestID: nil,
            detail: "lease of \(previous.summary) expired at \(format.string(from: expiry)); taken over at \(format.string(from: now))")
    }

    /// The refusal naming who holds the lock.
    static func held(_ location: String, by holder: LockHolder) -> DecommissionError {
        DecommissionError(
            code: .lockHeld, message: "Plan '\(location)' is locked by \(holder.summary); wait for that run to finish, or stop it.",
            lockHolder: holder)
    }

    private struct PlanIdentity: Decodable {
        var planID: String
        enum CodingKeys: String, CodingKey { case planID = "planId" }
    }
}
