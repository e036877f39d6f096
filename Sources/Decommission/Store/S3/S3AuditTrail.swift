import Foundation
import KMSAPI
import Synchronization

/// The audit trail of a plan in S3: one object per record (`NAME.audit/N.jsonl`), each created
/// with `If-None-Match: *` and chained by hash to the one before, so `AuditLog.verify` applies.
public final class S3AuditTrail: AuditTrail {
    private struct Tail: Sendable {
        var seq: Int
        var hash: String
    }

    private let objects: any ObjectStore
    private let keys: S3PlanKeys
    private let planID: String
    private let runner: String?
    private let queue = AsyncSerialQueue()
    private let tail = Mutex<Tail?>(nil)

    /// - Parameter runner: recorded in every record, since several runners share one plan.
    public init(objects: any ObjectStore, keys: S3PlanKeys, planID: String, runner: String?) {
        self.objects = objects
        self.keys = keys
        self.planID = planID
        self.runner = runner
    }

    @discardableResult
    public func record(
        time: Date, stepID: StepID?, operation: String, keyID: String?, keyStoreID: String?,
        outcome: AuditRecord.Outcome, awsErrorType: String?, requestID: String?
    ) async throws -> AuditRecord {
        try await record(
            time: time, stepID: stepID, operation: operation, keyID: keyID, keyStoreID: keyStoreID, outcome: outcome,
            awsErrorType: awsErrorType, requestID: requestID, detail: nil)
    }

    /// Appends one record (with a `detail` for people), chained to the last one.
    /// - Throws: `DecommissionError` with `checkpoint.changed-elsewhere` when another run wrote
    ///   the same sequence number first, `audit.chain-broken`, or the S3 error (`KMSError`).
    @discardableResult
    public func record(
        time: Date, stepID: StepID?, operation: String, keyID: String?, keyStoreID: String?,
        outcome: AuditRecord.Outcome, awsErrorType: String?, requestID: String?, detail: String?
    ) async throws -> AuditRecord {
        let (objects, keys, planID, runner) = (self.objects, self.keys, self.planID, self.runner)
        return try await queue.run {
            let current: Tail
            if let known = self.tail.withLock({ $0 }) { current = known } else { current = try await Self.readTail(objects, keys) }
            let record = try AuditRecord(
                seq: current.seq + 1, time: time, planID: planID, stepID: stepID, operation: operation, keyID: keyID,
                keyStoreID: keyStoreID, outcome: outcome, awsErrorType: awsErrorType, requestID: requestID,
                detail: detail, runner: runner, prevHash: current.hash)
            var line = try JSONCoding.makeCompactEncoder().encode(record)
            line.append(0x0A)
            do {
                _ = try await objects.put(keys.audit(record.seq), body: line, condition: .objectAbsent)
            } catch where isS3ConditionFailure(error) {
                throw DecommissionError(
                    code: .planChangedElsewhere,
                    message: "Another run wrote audit record \(record.seq) of '\(objects.locationDescription)/\(keys.plan)' first; stop the other run, then 'apply --resume'.")
            }
            self.tail.withLock { $0 = Tail(seq: record.seq, hash: record.hash) }
            return record
        }
    }

    private static func readTail(_ objects: any ObjectStore, _ keys: S3PlanKeys) async throws -> Tail {
        let numbered = try await objects.list(prefix: keys.auditPrefix).filter { S3PlanKeys.number(of: $0, under: keys.auditPrefix) != nil }
        guard let last = numbered.last else { return Tail(seq: 0, hash: AuditLog.genesisHash) }
        guard let object = try await objects.get(last),
            let record = try? JSONCoding.makeDecoder().decode(AuditRecord.self, from: object.body)
        else {
            throw DecommissionError(
                code: .auditChainBroken,
                message: "The last audit object '\(last)' in \(objects.locationDescription) is not a record; check it with 'decommission status'.")
        }
        return Tail(seq: record.seq, hash: record.hash)
    }

    /// Checks the chain of every audit object of a plan, in key order; none is an empty, valid trail.
    public static func verify(objects: any ObjectStore, keys: S3PlanKeys) async throws -> AuditVerification {
        var lines: [Data] = []
        for key in try await objects.list(prefix: keys.auditPrefix) where S3PlanKeys.number(of: key, under: keys.auditPrefix) != nil {
            var body = try await objects.get(key)?.body ?? Data()
            while body.last == 0x0A { body.removeLast() }
            lines.append(body)
        }
        return AuditLog.verify(lines: lines)
    }
}
