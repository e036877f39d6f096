import Foundation

/// An error from planning or applying a decommission, with a stable code and a message for people.
public struct DecommissionError: Error, Sendable, CustomStringConvertible {
    /// A stable, machine-readable code written as `area.kebab-reason`.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The key store named on the command line does not exist.
        public static let storeNotFound = Code(rawValue: "plan.store-not-found")
        /// A store name matched several stores.
        public static let ambiguousStoreName = Code(rawValue: "plan.ambiguous-store-name")
        /// A plan option is out of range.
        public static let invalidOption = Code(rawValue: "plan.invalid-option")
        /// An `--accept` argument names an unknown finding or key.
        public static let invalidWaiver = Code(rawValue: "plan.invalid-waiver")
        /// The plan file cannot be written.
        public static let unwritableOutput = Code(rawValue: "plan.unwritable-output")
        /// A plan that has started exists at the output path.
        public static let planExists = Code(rawValue: "plan.exists")
        /// The plan has unwaived blocking findings.
        public static let blocked = Code(rawValue: "plan.blocked")
        /// The plan's step graph is inconsistent (unknown dependency or cycle).
        public static let invalidGraph = Code(rawValue: "plan.invalid-graph")

        /// The plan file cannot be read.
        public static let unreadablePlan = Code(rawValue: "checkpoint.unreadable")
        /// The plan file is not valid JSON or does not match the schema.
        public static let invalidPlan = Code(rawValue: "checkpoint.invalid-plan")
        /// The plan file has a schema version or kind this tool does not read.
        public static let unsupportedSchemaVersion = Code(rawValue: "checkpoint.unsupported-schema-version")
        /// The plan's content no longer matches its fingerprint: it was edited.
        public static let tampered = Code(rawValue: "checkpoint.plan-mismatch")
        /// The journal beside the plan is corrupt beyond its last complete line.
        public static let invalidJournal = Code(rawValue: "checkpoint.invalid-journal")
        /// The stored plan was changed by someone else since this run read it; nothing was written.
        public static let planChangedElsewhere = Code(rawValue: "checkpoint.changed-elsewhere")

        /// A fresh plan was applied without approval, or with the wrong fingerprint.
        public static let approvalRequired = Code(rawValue: "apply.approval-required")
        /// The approval fingerprint does not match the plan.
        public static let approvalMismatch = Code(rawValue: "apply.approval-mismatch")
        /// A started plan was applied without `--resume`.
        public static let resumeRequired = Code(rawValue: "apply.resume-required")
        /// Another apply holds the plan's lock.
        public static let lockHeld = Code(rawValue: "apply.lock-held")
        /// The plan was cancelled and cannot be applied.
        public static let cancelled = Code(rawValue: "apply.cancelled")
        /// The plan is blocked by findings and cannot be applied.
        public static let planBlocked = Code(rawValue: "apply.plan-blocked")
        /// Live state differs from the plan; nothing was changed.
        public static let drift = Code(rawValue: "apply.drift")
        /// A step failed after retries.
        public static let stepFailed = Code(rawValue: "apply.step-failed")
        /// The audit log's hash chain is broken.
        public static let auditChainBroken = Code(rawValue: "audit.chain-broken")
        /// A file operation failed.
        public static let fileSystem = Code(rawValue: "io.failed")
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
