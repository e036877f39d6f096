import Foundation

/// Where the record of every call that changes KMS goes: append-only and hash-chained.
///
/// The file trail is `NAME.audit.jsonl`; another backend must keep the same chain (each record's
/// `prevHash` is the hash of the one before) so `AuditLog.verify` rules apply to it too.
public protocol AuditTrail: Sendable {
    /// Appends one call record, chained to the last one, durably.
    /// - Throws: `DecommissionError` with `io.failed` or `audit.chain-broken`.
    @discardableResult
    func record(
        time: Date, stepID: StepID?, operation: String, keyID: String?, keyStoreID: String?,
        outcome: AuditRecord.Outcome, awsErrorType: String?, requestID: String?
    ) async throws -> AuditRecord
}
