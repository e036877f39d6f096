import Foundation
import KMSAPI
import Synchronization

/// Plans in one S3 bucket (`s3://BUCKET/KEY.json`): the plan object with its journal objects,
/// lock object and audit objects beside it (see `S3PlanKeys`).
public final class S3PlanStorage: PlanStorage {
    public let objects: any ObjectStore
    public let lockSettings: S3LockSettings
    /// The lease held on each plan by this process, for its checkpoint store's checks.
    private let leases = Mutex<[String: S3LockLease]>([:])

    public init(objects: any ObjectStore, lockSettings: S3LockSettings) {
        self.objects = objects
        self.lockSettings = lockSettings
    }

    /// The keys of a plan location: `s3://BUCKET/KEY.json`, or a bare key.
    public static func keys(forPlan location: String) -> S3PlanKeys {
        S3PlanKeys(plan: (try? S3ObjectLocation(parsing: location))?.key ?? location)
    }

    public func checkpointStore(forPlan location: String) -> any CheckpointStore {
        s3CheckpointStore(forPlan: location)
    }

    /// The checkpoint store with its S3-only counters.
    public func s3CheckpointStore(forPlan location: String) -> S3CheckpointStore {
        let keys = Self.keys(forPlan: location)
        return S3CheckpointStore(
            objects: objects, keys: keys, location: location, lease: { [self] in self.leases.withLock { $0[keys.plan] } },
            now: lockSettings.now)
    }

    public func lock(forPlan location: String) -> any PlanLock {
        let keys = Self.keys(forPlan: location)
        return S3PlanLock(objects: objects, keys: keys, location: location, settings: lockSettings) { [self] lease in
            self.leases.withLock { $0[keys.plan] = lease }
        }
    }

    public func auditTrail(forPlan location: String, planID: String) -> any AuditTrail {
        S3AuditTrail(objects: objects, keys: Self.keys(forPlan: location), planID: planID, runner: lockSettings.runner)
    }

    /// Checks the audit chain of a plan.
    public func verifyAudit(forPlan location: String) async throws -> AuditVerification {
        try await S3AuditTrail.verify(objects: objects, keys: Self.keys(forPlan: location))
    }

    /// The plan objects directly under `prefix` (not journal, audit or lock objects), in key order.
    public func planKeys(under prefix: String) async throws -> [String] {
        try await objects.list(prefix: prefix).filter { S3PlanKeys.isPlan($0, under: prefix) }
    }

    /// Reads the plan's key, so a bucket that does not exist or denies access is reported before
    /// any work (`s3.no-such-bucket`, `kms.access-denied`, as `KMSError`).
    public func checkReachable(forPlan location: String) async throws {
        _ = try await objects.get(Self.keys(forPlan: location).plan)
    }

    /// Writes a new plan. A plan that has not started is replaced (`If-Match` its ETag); one that
    /// has started, has journal objects, or is not a plan is kept unless `force`; a plan object that
    /// appears or changes while writing is never overwritten (`If-None-Match: *` / `If-Match`).
    /// - Throws: `DecommissionError` with `plan.exists`, or the S3 error (`KMSError`, e.g.
    ///   `s3.no-such-bucket`, `kms.access-denied`).
    public func writeNewPlan(_ plan: Plan, to location: String, force: Bool) async throws {
        let keys = Self.keys(forPlan: location)
        let existing = try await objects.get(keys.plan)
        if let existing, !force {
            let current: Plan
            do {
                current = try PlanFileStore().decode(existing.body, path: location)
            } catch let error as DecommissionError {
                throw DecommissionError(
                    code: .planExists, message: "'\(location)' exists and is not a readable plan (\(error.message)); choose another --out, or pass --force.",
                    underlying: error)
            }
            let journal = try await objects.list(prefix: keys.journalPrefix)
            if current.hasStarted || !journal.isEmpty {
                throw DecommissionError(
                    code: .planExists,
                    message: "Plan '\(location)' has started; continue it with 'decommission apply \(location) --resume', or pass --force to replace it.")
            }
        }
        do {
            _ = try await objects.put(
                keys.plan, body: try PlanFileStore().encode(plan), condition: existing.map { .etagMatches($0.etag) } ?? .objectAbsent)
        } catch where isS3ConditionFailure(error) {
            throw DecommissionError(
                code: .planExists, message: "Plan '\(location)' was written by someone else while this plan was being written; check it with 'decommission status \(location)'.")
        }
    }
}
