import Foundation
import KMSAPI
import Synchronization

/// The append-only, hash-chained audit log beside a plan (`NAME.audit.jsonl`, mode 0600).
public final class AuditLog: AuditTrail {
    /// The hash that the first record chains to.
    public static let genesisHash = String(repeating: "0", count: 64)

    private struct Tail {
        var seq: Int
        var hash: String
    }

    /// The log file's path.
    public let path: String
    private let planID: String
    // Concurrent steps append through one log; the Mutex serialises them and the chain tail.
    private let tail: Mutex<Tail?>

    /// Opens (lazily) the audit log at `path` for a plan.
    public init(path: String, planID: String) {
        self.path = path
        self.planID = planID
        self.tail = Mutex(nil)
    }

    /// Returns the audit log path beside a plan file.
    public static func path(forPlan planPath: String) -> String {
        SiblingFile.path(forPlan: planPath, suffix: ".audit.jsonl")
    }

    /// Appends one call record, chaining it to the last one, and fsyncs.
    /// - Throws: `DecommissionError` with `io.failed`.
    @discardableResult
    public func record(
        time: Date, stepID: StepID?, operation: String, keyID: String?, keyStoreID: String?,
        outcome: AuditRecord.Outcome, awsErrorType: String? = nil, requestID: String? = nil
    ) throws -> AuditRecord {
        try tail.withLock { tail in
            let current = try tail ?? Self.readTail(path)
            let record = try AuditRecord(
                seq: current.seq + 1, time: time, planID: planID, stepID: stepID, operation: operation,
                keyID: keyID, keyStoreID: keyStoreID, outcome: outcome, awsErrorType: awsErrorType, requestID: requestID,
                prevHash: current.hash)
            var line = try JSONCoding.makeCompactEncoder().encode(record)
            line.append(0x0A)
            try AtomicFile.append(line, to: path, sync: true)
            tail = Tail(seq: record.seq, hash: record.hash)
            return record
        }
    }

    private static func readTail(_ path: String) throws -> Tail {
        guard let data = try AtomicFile.read(path) else { return Tail(seq: 0, hash: genesisHash) }
        let lines = data.split(separator: 0x0A)
        guard let last = lines.last else { return Tail(seq: 0, hash: genesisHash) }
        guard let record = try? JSONCoding.makeDecoder().decode(AuditRecord.self, from: Data(last)) else {
            throw DecommissionError(
                code: .auditChainBroken, message: "The last line of audit log '\(path)' is not a record; check it with 'decommission status'.")
        }
        return Tail(seq: record.seq, hash: record.hash)
    }

    /// Checks every record's hash and link; a missing file is an empty, valid log.
    public static func verify(path: String) throws -> AuditVerification {
        guard let data = try AtomicFile.read(path) else { return .ok(count: 0) }
        return verify(lines: data.split(separator: 0x0A, omittingEmptySubsequences: false).map { Data($0) })
    }

    /// Checks a chain of encoded records in order (the one rule for every backend); empty
    /// entries are skipped but keep their 1-based position for the report.
    public static func verify(lines: [Data]) -> AuditVerification {
        let decoder = JSONCoding.makeDecoder()
        var previous = genesisHash
        var count = 0
        for (index, line) in lines.enumerated() where !line.isEmpty {
            let number = index + 1
            guard let record = try? decoder.decode(AuditRecord.self, from: line) else {
                return .broken(line: number, reason: "not a valid audit record")
            }
            guard record.prevHash == previous else {
                return .broken(line: number, reason: "prevHash does not match the previous record's hash")
            }
            guard (try? record.computeHash()) == record.hash else {
                return .broken(line: number, reason: "hash does not match the record's content")
            }
            previous = record.hash
            count += 1
        }
        return .ok(count: count)
    }
}
