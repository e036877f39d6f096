import Foundation
import KMSAPI
import Synchronization

/// One line of the audit log: a call that changes KMS, chained to the previous line by hash.
public struct AuditRecord: Codable, Sendable, Equatable {
    /// How a call ended.
    public enum Outcome: String, Codable, Sendable {
        case ok, error
        /// The connection dropped: the change may or may not have been applied.
        case unknown
    }

    public var seq: Int
    public var time: Date
    public var planID: String
    public var stepID: String
    public var operation: String
    public var keyID: String?
    public var keyStoreID: String?
    public var outcome: Outcome
    public var awsErrorType: String?
    public var requestID: String?
    public var prevHash: String
    public var hash: String

    enum CodingKeys: String, CodingKey {
        case seq, time, planID = "planId", stepID = "stepId", operation, keyID = "keyId", keyStoreID = "keyStoreId"
        case outcome, awsErrorType, requestID = "requestId", prevHash, hash
    }

    /// Makes the record that follows one with hash `prevHash` (sequence `seq`), its hash computed.
    public init(
        seq: Int, time: Date, planID: String, stepID: StepID?, operation: String, keyID: String?, keyStoreID: String?,
        outcome: Outcome, awsErrorType: String?, requestID: String?, prevHash: String
    ) throws {
        self.seq = seq
        self.time = time
        self.planID = planID
        self.stepID = stepID?.rawValue ?? "cancel"
        self.operation = operation
        self.keyID = keyID
        self.keyStoreID = keyStoreID
        self.outcome = outcome
        self.awsErrorType = awsErrorType
        self.requestID = requestID
        self.prevHash = prevHash
        self.hash = ""
        self.hash = try computeHash()
    }

    /// Computes the record's hash: SHA-256 hex of `prevHash` followed by its canonical JSON
    /// (sorted keys, compact) without the `hash` member.
    public func computeHash() throws -> String {
        var unhashed = self
        unhashed.hash = ""
        let json = try JSONCoding.makeCompactEncoder().encode(Unhashed(unhashed))
        var input = Data(prevHash.utf8)
        input.append(json)
        return SHA256.hash(input).hexString
    }

    /// The record's members without `hash`, for the canonical encoding.
    private struct Unhashed: Encodable {
        let record: AuditRecord
        init(_ record: AuditRecord) { self.record = record }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(record.seq, forKey: .seq)
            try container.encode(record.time, forKey: .time)
            try container.encode(record.planID, forKey: .planID)
            try container.encode(record.stepID, forKey: .stepID)
            try container.encode(record.operation, forKey: .operation)
            try container.encodeIfPresent(record.keyID, forKey: .keyID)
            try container.encodeIfPresent(record.keyStoreID, forKey: .keyStoreID)
            try container.encode(record.outcome, forKey: .outcome)
            try container.encodeIfPresent(record.awsErrorType, forKey: .awsErrorType)
            try container.encodeIfPresent(record.requestID, forKey: .requestID)
            try container.encode(record.prevHash, forKey: .prevHash)
        }
    }
}

/// The result of checking an audit log's hash chain.
public enum AuditVerification: Sendable, Equatable {
    /// Every record chains to the one before; `count` records.
    case ok(count: Int)
    /// The chain breaks at 1-based `line`.
    case broken(line: Int, reason: String)
}

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
        let decoder = JSONCoding.makeDecoder()
        var previous = genesisHash
        var count = 0
        for (index, line) in data.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated() where !line.isEmpty {
            let number = index + 1
            guard let record = try? decoder.decode(AuditRecord.self, from: Data(line)) else {
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
