import Foundation
import KMSAPI

/// Runs `decommission cancel`: undoes what a plan did while its deletions are still inside their
/// windows (CancelKeyDeletion, and EnableKey with `reEnable`), then marks the plan cancelled.
public struct Canceller: Sendable {
    /// What cancel did to one key.
    public struct KeyReport: Codable, Sendable, Equatable {
        /// The key's fate.
        public enum Outcome: String, Codable, Sendable {
            /// Its deletion was cancelled (or never scheduled); the key exists.
            case saved
            /// KMS already deleted it: it cannot be saved.
            case unsavable
            /// It was pending deletion before the plan; left as it was.
            case leftPending = "left-pending"
        }
        public var keyID: String
        public var outcome: Outcome
        /// The key's state after cancel (Enabled, Disabled, Unavailable, PendingDeletion), if it exists.
        public var state: String?
        enum CodingKeys: String, CodingKey { case keyID = "keyId", outcome, state }
    }

    /// What cancel did.
    public struct Report: Sendable {
        public var keys: [KeyReport]
        public var plan: Plan
    }

    private let kms: any KMSGateway
    private let storage: any PlanStorage
    private let clock: any Clock<Duration>
    private let now: @Sendable () -> Date

    /// Creates a canceller.
    /// - Parameter storage: where plans, journals, locks and audit trails live (files by default).
    public init(
        kms: any KMSGateway, storage: any PlanStorage = FilePlanStorage(), clock: any Clock<Duration>, now: @escaping @Sendable () -> Date
    ) {
        self.kms = kms
        self.storage = storage
        self.clock = clock
        self.now = now
    }

    /// Cancels a plan; safe to run again after a crash.
    /// - Throws: `DecommissionError` with `checkpoint.*`, `apply.lock-held` or `io.failed`;
    ///   `KMSError` when a call fails (the plan stays marked cancelled; run cancel again).
    public func cancel(planPath: String, reEnable: Bool) async throws -> Report {
        try await storage.lock(forPlan: planPath).withLock(as: .current(since: now())) { _ in
            try await cancelLocked(planPath: planPath, reEnable: reEnable)
        }
    }

    private func cancelLocked(planPath: String, reEnable: Bool) async throws -> Report {
        let store = storage.checkpointStore(forPlan: planPath)
        var plan = try await store.load()
        guard PlanFingerprint.verify(plan) else {
            throw DecommissionError(code: .tampered, message: "Plan '\(planPath)' no longer matches its fingerprint; cancel it by hand with CancelKeyDeletion.")
        }
        // Mark the plan cancelled first, so no apply can start while keys are being restored.
        var cancellation = plan.cancellation ?? Cancellation(cancelledAt: now(), reEnable: reEnable)
        cancellation.reEnable = cancellation.reEnable || reEnable
        plan.cancellation = cancellation
        try await store.fold(plan)

        let audit = storage.auditTrail(forPlan: planPath, planID: plan.planID)
        let storeID = plan.target.keyStoreID
        if reEnable, planDisconnected(plan) { try await reconnect(storeID, audit: audit) }

        var reports: [KeyReport] = []
        for key in plan.keys.sorted(by: { $0.keyID < $1.keyID }) {
            if key.wasPendingDeletion {
                let live = try await kms.describeKeyIfPresent(key.keyID)
                reports.append(KeyReport(keyID: key.keyID, outcome: live == nil ? .unsavable : .leftPending, state: live?.keyState?.rawValue))
                continue
            }
            let schedule = plan.steps.first { $0.action == .scheduleDeletion && $0.keyID == key.keyID }
            let scheduledByPlan = schedule?.hasStarted ?? false
            guard var live = try await kms.describeKeyIfPresent(key.keyID) else {
                reports.append(KeyReport(keyID: key.keyID, outcome: .unsavable, state: nil))
                continue
            }
            if scheduledByPlan, live.keyState == .pendingDeletion {
                live = try await changeKey(audit, CancelKeyDeletion.name, keyID: key.keyID, isDone: { $0.keyState != .pendingDeletion }) {
                    try await kms.cancelKeyDeletion(key.keyID)
                }
            }
            if reEnable, key.state == .enabled, live.keyState == .disabled {
                live = try await changeKey(audit, EnableKey.name, keyID: key.keyID, isDone: { $0.keyState == .enabled }) {
                    try await kms.enableKey(key.keyID)
                }
            }
            reports.append(KeyReport(keyID: key.keyID, outcome: .saved, state: live.keyState?.rawValue))
        }

        for index in plan.steps.indices where !plan.steps[index].status.isFinished {
            plan.steps[index].status = .cancelled
        }
        cancellation.savedKeys = reports.filter { $0.outcome == .saved }.map(\.keyID)
        cancellation.unsavableKeys = reports.filter { $0.outcome == .unsavable }.map(\.keyID)
        cancellation.leftPendingKeys = reports.filter { $0.outcome == .leftPending }.map(\.keyID)
        cancellation.completed = true
        plan.cancellation = cancellation
        plan.updatedAt = now()
        try await store.fold(plan)
        return Report(keys: reports, plan: plan)
    }

    private func planDisconnected(_ plan: Plan) -> Bool {
        plan.steps.contains { $0.action == .disconnectStore && $0.hasStarted }
    }

    /// Connects the store and waits for CONNECTED, so its keys can be enabled again.
    private func reconnect(_ storeID: String, audit: any AuditTrail) async throws {
        guard let store = try await kms.describeStoreIfPresent(storeID) else { return }
        if store.connectionState != .connected && store.connectionState != .connecting {
            try await call(audit, ConnectCustomKeyStore.name, keyStoreID: storeID) { try await kms.connectStore(storeID) }
        }
        var check = 0
        while true {
            let state = try await kms.describeStore(storeID)
            if state.connectionState == .connected { return }
            if state.connectionState == .failed {
                throw DecommissionError(
                    code: .stepFailed,
                    message: "Store \(storeID) failed to reconnect (\(state.connectionErrorCode?.rawValue ?? "unknown")); fix it and run cancel again.")
            }
            try await clock.sleep(for: .seconds(PollSchedule.storeInterval(check: check)))
            check += 1
        }
    }

    /// Makes one change to a key and returns its live metadata. The client never resends a change
    /// whose answer was lost, so when the outcome is unknown (or KMS refuses the change for the
    /// key's state) this reads the key: the change counts as made once `isDone` holds, and is
    /// sent again otherwise, at most three times in all (`AuditedCalls`).
    private func changeKey(
        _ audit: any AuditTrail, _ operation: OperationName, keyID: String, isDone: (KeyMetadata) -> Bool,
        _ body: () async throws -> String?
    ) async throws -> KeyMetadata {
        try await AuditedCalls(audit: audit, now: now).resolving(
            reconcileOn: { $0.mayHaveBeenApplied || $0.code == .invalidKeyState }, resendOn: { _ in true },
            send: {
                try await call(audit, operation, keyID: keyID, body)
                return try await kms.describeKey(keyID)
            },
            reconcile: {
                let live = try await kms.describeKey(keyID)
                return isDone(live) ? live : nil
            })
    }

    private func call(
        _ audit: any AuditTrail, _ operation: OperationName, keyID: String? = nil, keyStoreID: String? = nil,
        _ body: () async throws -> String?
    ) async throws {
        try await AuditedCalls(audit: audit, now: now).make(stepID: nil, operation, keyID: keyID, keyStoreID: keyStoreID) {
            let requestID = try await body()
            return ((), requestID)
        }
    }
}
