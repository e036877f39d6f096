import Foundation

/// An error from planning or applying a decommission, with a stable code and a message for people.
public struct DecommissionError: Error, Sendable, CustomStringConvertible {
    /// A stable, machine-readable code written as `area.kebab-reason`: the closed set of codes
    /// this module raises or records in a plan.
    public enum Code: String, CaseIterable, Sendable, CustomStringConvertible {
        public var description: String { rawValue }

        /// The key store named on the command line does not exist.
        case storeNotFound = "plan.store-not-found"
        /// A store name matched several stores.
        case ambiguousStoreName = "plan.ambiguous-store-name"
        /// A plan option is out of range.
        case invalidOption = "plan.invalid-option"
        /// An `--accept` argument names an unknown finding or key.
        case invalidWaiver = "plan.invalid-waiver"
        /// The plan file cannot be written.
        case unwritableOutput = "plan.unwritable-output"
        /// A plan that has started exists at the output path.
        case planExists = "plan.exists"
        /// The plan has unwaived blocking findings.
        case blocked = "plan.blocked"
        /// The plan's step graph is inconsistent (unknown dependency or cycle).
        case invalidGraph = "plan.invalid-graph"

        /// The plan file cannot be read.
        case unreadablePlan = "checkpoint.unreadable"
        /// The plan file is not valid JSON or does not match the schema.
        case invalidPlan = "checkpoint.invalid-plan"
        /// The plan file has a schema version or kind this tool does not read.
        case unsupportedSchemaVersion = "checkpoint.unsupported-schema-version"
        /// The plan's content no longer matches its fingerprint: it was edited.
        case tampered = "checkpoint.plan-mismatch"
        /// The journal beside the plan is corrupt beyond its last complete line.
        case invalidJournal = "checkpoint.invalid-journal"
        /// The stored plan was changed by someone else since this run read it; nothing was written.
        case planChangedElsewhere = "checkpoint.changed-elsewhere"

        /// A fresh plan was applied without approval, or with the wrong fingerprint.
        case approvalRequired = "apply.approval-required"
        /// The approval fingerprint does not match the plan.
        case approvalMismatch = "apply.approval-mismatch"
        /// A started plan was applied without `--resume`.
        case resumeRequired = "apply.resume-required"
        /// Another apply holds the plan's lock.
        case lockHeld = "apply.lock-held"
        /// The plan was cancelled and cannot be applied.
        case cancelled = "apply.cancelled"
        /// The plan is blocked by findings and cannot be applied.
        case planBlocked = "apply.plan-blocked"
        /// Live state differs from the plan; nothing was changed.
        case drift = "apply.drift"
        /// A step failed after retries.
        case stepFailed = "apply.step-failed"
        /// The store went to FAILED instead of CONNECTED.
        case storeConnectFailed = "apply.store-connect-failed"
        /// The store still exists after DeleteCustomKeyStore.
        case storeStillExists = "apply.store-still-exists"
        /// A step failed with an error that is not a KMS or plan error.
        case unexpected = "apply.unexpected"
        /// The audit log's hash chain is broken.
        case auditChainBroken = "audit.chain-broken"
        /// A file operation failed.
        case fileSystem = "io.failed"
    }

    public let code: Code
    public let message: String
    /// Who holds the plan's lock, for `apply.lock-held`.
    public var lockHolder: LockHolder?
    public var underlying: (any Error & Sendable)?

    public init(code: Code, message: String, lockHolder: LockHolder? = nil, underlying: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.lockHolder = lockHolder
        self.underlying = underlying
    }

    public var description: String { "\(message) [\(code)]" }
}
