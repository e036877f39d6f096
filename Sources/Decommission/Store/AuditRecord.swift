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
    /// What else a person needs to know (a lock takeover names the expired holder); absent on calls.
    public var detail: String?
    /// Which runner made the call, where the trail records it (the S3 trail: several runners share one plan).
    public var runner: String?
    public var prevHash: String
    public var hash: String

    enum CodingKeys: String, CodingKey {
        case seq, time, planID = "planId", stepID = "stepId", operation, keyID = "keyId", keyStoreID = "keyStoreId"
        case outcome, awsErrorType, requestID = "requestId", detail, runner, prevHash, hash
    }

    /// Makes the record that follows one with hash `prevHash` (sequence `seq`), its hash computed.
    public init(
        seq: Int, time: Date, planID: String, stepID: StepID?, operation: String, keyID: String?, keyStoreID: String?,
        outcome: Outcome, awsErrorType: String?, requestID: String?, detail: String? = nil, runner: String? = nil, prevHash: String
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
        self.detail = detail
        self.runner = runner
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
            try container.encodeIfPresent(record.detail, forKey: .detail)
            try container.encodeIfPresent(record.runner, forKey: .runner)
            try container.encode(record.prevHash, forKey: .prevHash)
        }
    }
}
