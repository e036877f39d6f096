import Decommission
import Foundation
import Synchronization

/// An audit trail in memory, chained by hash exactly as the file log is.
public final class InMemoryAuditTrail: AuditTrail {
    private let records = Mutex<[AuditRecord]>([])
    private let planID: String

    public init(planID: String) { self.planID = planID }

    /// Every record, in order.
    public var all: [AuditRecord] { records.withLock { $0 } }

    @discardableResult
    public func record(
        time: Date, stepID: StepID?, operation: String, keyID: String?, keyStoreID: String?,
        outcome: AuditRecord.Outcome, awsErrorType: String?, requestID: String?
    ) throws -> AuditRecord {
        try records.withLock { records in
            let record = try AuditRecord(
                seq: records.count + 1, time: time, planID: planID, stepID: stepID, operation: operation,
                keyID: keyID, keyStoreID: keyStoreID, outcome: outcome, awsErrorType: awsErrorType, requestID: requestID,
                prevHash: records.last?.hash ?? AuditLog.genesisHash)
            records.append(record)
            return record
        }
    }
}
