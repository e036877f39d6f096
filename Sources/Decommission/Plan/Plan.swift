import Foundation

/// A decommission plan: what will be done to which store and keys, why it is safe, and how far it
/// has got. Persisted as the plan file (schema version 1); see `plans/README.md`.
public struct Plan: Codable, Sendable, Equatable {
    /// The schema version this build writes and reads.
    public static let currentSchemaVersion = 1
    /// The `kind` every plan file carries.
    public static let kindName = "kms-custom-key-store-decommission"

    public var schemaVersion: Int
    public var kind: String
    public var planID: String
    public var createdAt: Date
    public var toolVersion: String
    /// SHA-256 (lowercase hex) of the plan's intent; see `PlanFingerprint`.
    public var fingerprint: String
    public var target: PlanTarget
    public var options: PlanOptions
    public var keys: [PlannedKey]
    public var findings: [Finding]
    /// The CloudTrail evidence the plan was made with (absent in plans made without it).
    public var evidence: EvidenceSummary?
    /// Whether unwaived blocking findings keep the plan from being applied.
    public var blocked: Bool
    public var approval: Approval?
    /// Set once `cancel` has run; the plan then refuses `apply`.
    public var cancellation: Cancellation?
    public var steps: [Step]
    public var updatedAt: Date?

    public init(
        planID: String, createdAt: Date, toolVersion: String, target: PlanTarget, options: PlanOptions,
        keys: [PlannedKey], findings: [Finding], steps: [Step], evidence: EvidenceSummary? = nil
    ) {
        self.schemaVersion = Self.currentSchemaVersion
        self.kind = Self.kindName
        self.planID = planID
        self.createdAt = createdAt
        self.toolVersion = toolVersion
        self.fingerprint = ""
        self.target = target
        self.options = options
        self.keys = keys
        self.findings = findings
        self.evidence = evidence
        self.blocked = findings.contains { $0.severity == .block && !$0.waived }
        self.approval = nil
        self.cancellation = nil
        self.steps = steps
        self.updatedAt = nil
    }

    enum CodingKeys: String, CodingKey {
        case schemaVersion, kind, planID = "planId", createdAt, toolVersion, fingerprint, target, options
        case keys, findings, evidence, blocked, approval, cancellation, steps, updatedAt
    }

    /// Whether the plan has started: approved, cancelled, or any step started (`Step.hasStarted`).
    /// A started plan needs `apply --resume`, and `plan` will not replace it without `--force`.
    public var hasStarted: Bool {
        approval != nil || cancellation != nil || hasStartedSteps
    }

    /// Whether any step has started.
    public var hasStartedSteps: Bool { steps.contains { $0.hasStarted } }

    /// Whether every step is done or skipped.
    public var isComplete: Bool {
        // By index: iterating by value would copy every step.
        steps.indices.allSatisfy { steps[$0].status == .done || steps[$0].status == .skipped }
    }

    /// Returns the index of a step by id.
    public func stepIndex(_ id: StepID) -> Int? { steps.firstIndex { $0.id == id } }
}
