import Foundation

/// Runs `decommission apply`: checks the plan (fingerprint, cancellation, blocking findings,
/// approval or `--resume`), takes the lock, and hands the plan to an `Executor`.
public struct Applier: Sendable {
    private let kms: any KMSGateway
    private let storage: any PlanStorage
    private let clock: any Clock<Duration>
    private let now: @Sendable () -> Date
    private let events: @Sendable (ExecutionEvent) -> Void
    private let approver: (@Sendable (Plan) async -> String?)?
    private let approvedBy: String?
    private let cloudTrail: CloudTrailEvidenceSource?

    /// Creates an applier.
    /// - Parameters:
    ///   - approver: asks a person to type the store id (a terminal prompt); nil when there is none.
    ///   - storage: where plans, journals, locks and audit trails live (files beside the plan by default).
    ///   - approvedBy: who approves, for the plan's record (user@host; no credentials).
    ///   - cloudTrail: where observation and guard checks read attempted use (nil: none).
    public init(
        kms: any KMSGateway, storage: any PlanStorage = FilePlanStorage(), clock: any Clock<Duration>, now: @escaping @Sendable () -> Date,
        events: @escaping @Sendable (ExecutionEvent) -> Void = { _ in }, approver: (@Sendable (Plan) async -> String?)? = nil,
        approvedBy: String? = nil, cloudTrail: CloudTrailEvidenceSource? = nil
    ) {
        self.cloudTrail = cloudTrail
        self.kms = kms
        self.storage = storage
        self.clock = clock
        self.now = now
        self.events = events
        self.approver = approver
        self.approvedBy = approvedBy
    }

    /// Applies what is due now (or everything, with `wait`) and checkpoints.
    /// - Throws: `DecommissionError` with `checkpoint.*` (unreadable, invalid, tampered plan or
    ///   journal), `apply.cancelled`, `apply.plan-blocked`, `apply.approval-required`,
    ///   `apply.approval-mismatch`, `apply.resume-required`, `apply.lock-held`, `io.failed`.
    public func apply(planPath: String, options: ApplyOptions) async throws -> ApplyReport {
        let store = storage.checkpointStore(forPlan: planPath)
        try Self.checkRunnable(try await store.load(), path: planPath)
        return try await storage.lock(forPlan: planPath).withLock(as: .current(since: now())) { lease in
            var plan = try await store.load()
            for warning in store.loadWarnings { events(.warning(nil, message: warning)) }
            try Self.checkRunnable(plan, path: planPath)
            if plan.hasStarted {
                guard options.resume else {
                    throw DecommissionError(
                        code: .resumeRequired, message: "Plan '\(planPath)' has started; run 'decommission apply \(planPath) --resume' to continue it.")
                }
            } else {
                plan.approval = try await approve(plan, options: options, path: planPath)
                plan.updatedAt = now()
                try await store.fold(plan)
            }
            let audit = storage.auditTrail(forPlan: planPath, planID: plan.planID)
            let executor = Executor(
                plan: plan, store: store, kms: kms, audit: audit, lease: lease, clock: clock, now: now, events: events,
                cloudTrail: cloudTrail)
            var report = try await executor.run(options: options)
            report.checkpointBytesWritten = store.totalBytesWritten
            return report
        }
    }

    /// Returns every call `apply` would make in this run up to its next wait, in order, as if
    /// each read returned what the plan expects; calls nothing and writes nothing.
    /// - Throws: the same plan errors as `apply`, except approval and lock.
    public func dryRun(planPath: String, options: ApplyOptions) async throws -> DryRunReport {
        let plan = try await storage.checkpointStore(forPlan: planPath).load()
        try Self.checkRunnable(plan, path: planPath)
        return DryRunSimulator.simulate(plan, now: now(), options: options)
    }

    /// Refuses a tampered, cancelled or blocked plan.
    static func checkRunnable(_ plan: Plan, path: String) throws {
        guard PlanFingerprint.verify(plan) else {
            throw DecommissionError(
                code: .tampered,
                message: "Plan '\(path)' no longer matches its fingerprint: it was edited after planning; make a new plan with 'decommission plan'.")
        }
        if plan.cancellation != nil {
            throw DecommissionError(code: .cancelled, message: "Plan '\(path)' was cancelled and cannot be applied; make a new plan to start again.")
        }
        if plan.blocked {
            throw DecommissionError(
                code: .planBlocked,
                message: "Plan '\(path)' has unwaived blocking findings; review them and re-plan, waiving with --accept only what is safe.")
        }
    }

    private func approve(_ plan: Plan, options: ApplyOptions, path: String) async throws -> Approval {
        if let candidate = options.approveFingerprint {
            guard PlanFingerprint.matches(candidate, fingerprint: plan.fingerprint) else {
                throw DecommissionError(
                    code: .approvalMismatch,
                    message: "--approve '\(candidate)' does not match the fingerprint of plan '\(path)'; copy it from 'decommission plan' or 'status'.")
            }
            return Approval(approvedAt: now(), method: .fingerprint, fingerprint: plan.fingerprint, approvedBy: approvedBy)
        }
        guard let approver else {
            throw DecommissionError(
                code: .approvalRequired,
                message: "Plan '\(path)' has not been approved; review it and pass --approve with its fingerprint, or run at a terminal.")
        }
        guard let answer = await approver(plan) else {
            throw DecommissionError(code: .approvalRequired, message: "Plan '\(path)' was not approved; nothing was changed.")
        }
        guard answer.trimmingCharacters(in: .whitespacesAndNewlines) == plan.target.keyStoreID else {
            throw DecommissionError(
                code: .approvalMismatch, message: "The answer does not match store id \(plan.target.keyStoreID); nothing was changed.")
        }
        return Approval(approvedAt: now(), method: .prompt, fingerprint: plan.fingerprint, approvedBy: approvedBy)
    }

    /// The KMS operation a step's action makes.
    static func operation(_ action: StepAction) -> String {
        switch action {
        case .verifyStore, .awaitStoreConnected, .awaitStoreDisconnected, .verifyStoreDeleted: "DescribeCustomKeyStores"
        case .connectStore: "ConnectCustomKeyStore"
        case .preflightRescan, .rescanBeforeDisconnect: "ListKeys+DescribeKey"
        case .disableKey: "DisableKey"
        case .observe: "DescribeKey+GetKeyLastUsage"
        case .scheduleDeletion: "ScheduleKeyDeletion"
        case .awaitDeletion: "DescribeKey"
        case .disconnectStore: "DisconnectCustomKeyStore"
        case .deleteStore: "DeleteCustomKeyStore"
        }
    }
}
