import Foundation

/// How `apply` runs.
public struct ApplyOptions: Sendable, Equatable {
    /// Continue a plan that has started (`--resume`).
    public var resume: Bool
    /// Sleep until the next due time and go on until the plan completes (`--wait`).
    public var wait: Bool
    /// The fingerprint (or a prefix of at least 12 hex digits) approving a fresh plan (`--approve`).
    public var approveFingerprint: String?
    /// The most steps in flight at once.
    public var maxConcurrency: Int
    /// Without `wait`, still sleep for short polls (store connecting) due within this span.
    public var inlineWaitLimit: Duration

    public init(
        resume: Bool = false, wait: Bool = false, approveFingerprint: String? = nil, maxConcurrency: Int = 16,
        inlineWaitLimit: Duration = .seconds(120)
    ) {
        self.resume = resume
        self.wait = wait
        self.approveFingerprint = approveFingerprint
        self.maxConcurrency = maxConcurrency
        self.inlineWaitLimit = inlineWaitLimit
    }
}

/// How a run of `apply` ended.
public enum ApplyOutcome: Sendable, Equatable {
    /// Every step is done (exit 0).
    case done
    /// Nothing more is due before `nextActionAt` (exit 75).
    case waiting(nextActionAt: Date)
    /// Live state drifted from the plan; nothing was changed after the drift (exit 3).
    case blocked(drift: [DriftItem])
    /// Steps failed after retries (exit 1); `apply --resume` retries them.
    case failed(steps: [StepID])
    /// The run was cancelled (a signal); state was saved (exit 130/143).
    case interrupted

    /// The `status` word of `apply --output json`.
    public var statusName: String {
        switch self {
        case .done: "done"
        case .waiting: "waiting"
        case .blocked: "blocked"
        case .failed: "failed"
        case .interrupted: "interrupted"
        }
    }
}

/// What a run of `apply` did.
public struct ApplyReport: Sendable {
    public var outcome: ApplyOutcome
    /// How many step executions finished during this run (including polls that found work pending).
    public var stepsRun: Int
    /// The plan as checkpointed at the end of the run.
    public var plan: Plan
    public init(outcome: ApplyOutcome, stepsRun: Int, plan: Plan) {
        self.outcome = outcome
        self.stepsRun = stepsRun
        self.plan = plan
    }
    /// When the next step is due, if the plan is waiting.
    public var nextActionAt: Date? {
        if case .waiting(let date) = outcome { return date }
        return nil
    }
}

/// One difference between live state and the plan.
public struct DriftItem: Codable, Sendable, Equatable, CustomStringConvertible {
    /// What kind of difference.
    public enum Kind: String, Codable, Sendable {
        case storeMissing = "store-missing"
        case storeTypeChanged = "store-type-changed"
        case storeClusterChanged = "store-cluster-changed"
        case storeProxyChanged = "store-proxy-changed"
        case accountChanged = "account-changed"
        case regionChanged = "region-changed"
        case newKey = "new-key"
        case keyStillPresent = "key-still-present"
        case deletionCancelled = "deletion-cancelled"
        case keyReEnabled = "key-re-enabled"
        case keyUsedDuringObservation = "key-used-during-observation"
    }
    public var kind: Kind
    public var keyID: String?
    public var expected: String
    public var found: String

    public init(kind: Kind, keyID: String? = nil, expected: String, found: String) {
        self.kind = kind
        self.keyID = keyID
        self.expected = expected
        self.found = found
    }

    enum CodingKeys: String, CodingKey { case kind, keyID = "keyId", expected, found }

    public var description: String {
        "\(kind.rawValue)\(keyID.map { " key \($0)" } ?? ""): expected \(expected), found \(found)"
    }
}

/// A call `apply --dry-run` would make now.
public struct PlannedCall: Codable, Sendable, Equatable {
    public var stepID: StepID
    public var action: StepAction
    public var operation: String
    public var keyID: String?
    public var keyStoreID: String
    public var changesKMS: Bool
    enum CodingKeys: String, CodingKey { case stepID = "stepId", action, operation, keyID = "keyId", keyStoreID = "keyStoreId", changesKMS }
}

/// Progress of a run, for a terminal or a log.
public enum ExecutionEvent: Sendable, Equatable {
    /// A step began.
    case stepStarted(StepID, action: StepAction, keyID: String?)
    /// A step changed state (done, waiting, failed); `note` says what it learned.
    case stepFinished(StepID, status: StepStatus, note: String?)
    /// A step left `running` by a crash was reconciled from live state.
    case reconciled(StepID, note: String)
    /// The overall position: phase, counts, next due time and the point of no return.
    case progress(phase: String, done: Int, total: Int, nextDueAt: Date?, pointOfNoReturn: Date?)
    /// The run sleeps until the next due time.
    case sleeping(until: Date)
    /// Something a person should know that does not stop the run (KMS deleting late).
    case warning(StepID?, message: String)
    /// Drift was found; the run stops.
    case drift([DriftItem])
}
