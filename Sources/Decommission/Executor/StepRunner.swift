import Foundation
import KMSAPI

/// Runs one step against KMS: reads live state first so every step is safe to run twice, makes
/// the call (audited), and says what it found. Stateless apart from its injected dependencies.
struct StepRunner: Sendable {
    let kms: any KMSGateway
    let audit: (any AuditTrail)?
    let now: @Sendable () -> Date
    let events: @Sendable (ExecutionEvent) -> Void
    /// CloudTrail checks of the observation's end (nil: KMS evidence only).
    var monitor: EvidenceMonitor? = nil

    /// Runs a step; KMS errors become `.failed`, cancellation propagates.
    ///
    /// The client never resends a change whose outcome is unknown (a lost answer, a 5xx); this
    /// reads live state first and sends again only when the change is not in place. A change
    /// refused for its state may already be in place (another run, or a resend by an earlier
    /// version): live state is read, but it is not sent again.
    func run(_ step: Step, context: StepContext) async throws -> StepRunOutcome {
        do {
            return try await calls.resolving(
                reconcileOn: { step.action.isMutating && ($0.mayHaveBeenApplied || Self.mayFollowAppliedAttempt($0)) },
                resendOn: { $0.mayHaveBeenApplied },
                send: { try await perform(step, context: context) },
                reconcile: { try await reconcile(step, context: context) })
        } catch let error as KMSError where error.requiresSignIn {
            // Not a failure of the step: nothing more can be sent until a person signs in.
            return .signInRequired(error)
        } catch let error as KMSError {
            return .failed(StepError.from(error))
        }
    }

    private var calls: AuditedCalls { AuditedCalls(audit: audit, now: now) }

    /// Whether an error is what KMS answers to a resent change that an earlier attempt applied.
    static func mayFollowAppliedAttempt(_ error: KMSError) -> Bool {
        error.code == .keyStoreInvalidState || error.code == .invalidKeyState
    }

    // MARK: - Actions

    private func perform(_ step: Step, context: StepContext) async throws -> StepRunOutcome {
        let target = context.target
        let storeID = target.keyStoreID
        let checks = step.result?.checks ?? 0
        switch step.action {
        case .verifyStore:
            let (store, drift) = try await DriftScanner(kms: kms, now: now).checkStore(target)
            if !drift.isEmpty { return .drift(drift) }
            return .succeeded(StepResult(connectionState: store?.connectionState))

        case .connectStore:
            let store = try await kms.describeStore(storeID)
            if store.connectionState == .connected || store.connectionState == .connecting {
                return .succeeded(StepResult(connectionState: store.connectionState, note: "already \(store.connectionState?.rawValue ?? "")"))
            }
            let requestID = try await audited(step, ConnectCustomKeyStore.name, keyStoreID: storeID) { try await kms.connectStore(storeID) }
            return .succeeded(StepResult(requestID: requestID))

        case .awaitStoreConnected:
            let store = try await kms.describeStore(storeID)
            let state = store.connectionState
            if store.connectionState == .connected { return .succeeded(StepResult(connectionState: state, lastCheckedAt: now(), checks: checks + 1)) }
            if store.connectionState == .failed {
                let code = store.connectionErrorCode?.rawValue ?? "unknown"
                return .failed(
                    StepError(
                        .storeConnectFailed,
                        message: "Store \(storeID) failed to connect (ConnectionErrorCode \(code)); fix the cause, then run 'apply --resume'."))
            }
            return .waiting(
                until: now().addingTimeInterval(PollSchedule.storeInterval(check: checks)),
                StepResult(connectionState: state, lastCheckedAt: now(), checks: checks + 1))

        case .preflightRescan, .rescanBeforeDisconnect:
            let drift = try await DriftScanner(kms: kms, now: now).rescan(context, beforeDisconnect: step.action == .rescanBeforeDisconnect)
            return drift.isEmpty ? .succeeded(StepResult(lastCheckedAt: now())) : .drift(drift)

        case .disableKey:
            let keyID = step.keyID ?? ""
            let key = try await kms.describeKey(keyID)
            if key.keyState == .disabled || key.keyState == .pendingDeletion {
                return .succeeded(StepResult(keyState: key.keyState, note: "already \(key.keyState?.rawValue ?? "")"))
            }
            let requestID = try await audited(step, DisableKey.name, keyID: keyID) { try await kms.disableKey(keyID) }
            return .succeeded(StepResult(keyState: .disabled, requestID: requestID))

        case .observe:
            return try await observeWithEvidence(step, context: context)

        case .scheduleDeletion:
            return try await scheduleDeletion(step, context: context)

        case .awaitDeletion:
            return try await awaitDeletion(step, context: context)

        case .disconnectStore:
            let store = try await kms.describeStore(storeID)
            if store.connectionState == .disconnected || store.connectionState == .disconnecting {
                return .succeeded(StepResult(connectionState: store.connectionState, note: "already \(store.connectionState?.rawValue ?? "")"))
            }
            let requestID = try await audited(step, DisconnectCustomKeyStore.name, keyStoreID: storeID) { try await kms.disconnectStore(storeID) }
            return .succeeded(StepResult(requestID: requestID))

        case .awaitStoreDisconnected:
            let store = try await kms.describeStore(storeID)
            let state = store.connectionState
            if store.connectionState == .disconnected { return .succeeded(StepResult(connectionState: state, lastCheckedAt: now(), checks: checks + 1)) }
            return .waiting(
                until: now().addingTimeInterval(PollSchedule.storeInterval(check: checks)),
                StepResult(connectionState: state, lastCheckedAt: now(), checks: checks + 1))

        case .deleteStore:
            return try await deleteStore(step, storeID: storeID)

        case .verifyStoreDeleted:
            if try await kms.describeStoreIfPresent(storeID) == nil {
                return .succeeded(StepResult(note: "CustomKeyStoreNotFoundException", lastCheckedAt: now()))
            }
            return .failed(
                StepError(.storeStillExists, message: "Store \(storeID) still exists after DeleteCustomKeyStore; run 'apply --resume' to check again."))
        }
    }

    func observe(_ context: StepContext) async throws -> StepRunOutcome {
        var drift: [DriftItem] = []
        for key in context.keys where !key.wasPendingDeletion {
            guard let live = try await kms.describeKeyIfPresent(key.keyID) else { continue }
            if live.keyState != .disabled && live.keyState != .unavailable && live.keyState != .pendingDeletion {
                drift.append(DriftItem(kind: .keyReEnabled, keyID: key.keyID, expected: "Disabled", found: live.keyState?.rawValue ?? "unknown"))
                continue
            }
            guard let since = context.disabledAt[key.keyID] else { continue }
            let usage = try await kms.keyLastUsage(key.keyID)
            if let used = usage.keyLastUsage?.timestamp, used > since {
                let iso = ISO8601DateFormatter()
                drift.append(
                    DriftItem(
                        kind: .keyUsedDuringObservation, keyID: key.keyID, expected: "no use after \(iso.string(from: since))",
                        found: "\(usage.keyLastUsage?.operation ?? "use") at \(iso.string(from: used))"))
            }
        }
        return drift.isEmpty ? .succeeded(StepResult(note: "no key re-enabled or used", lastCheckedAt: now())) : .drift(drift)
    }

    private func scheduleDeletion(_ step: Step, context: StepContext) async throws -> StepRunOutcome {
        let keyID = step.keyID ?? ""
        do {
            let (response, requestID) = try await audited(step, ScheduleKeyDeletion.name, keyID: keyID) {
                let (response, requestID) = try await kms.scheduleKeyDeletion(keyID, pendingWindowDays: context.options.pendingWindowDays)
                return ((response, requestID), requestID)
            }
            var date = response.deletionDate
            if date == nil { date = try await kms.describeKey(keyID).deletionDate }
            return .succeeded(StepResult(deletionDate: date, keyState: .pendingDeletion, requestID: requestID))
        } catch let error as KMSError where error.code == .invalidKeyState {
            // Already scheduled (an earlier attempt or someone else): keep its date, never reschedule.
            guard let key = try await kms.describeKeyIfPresent(keyID) else {
                return .succeeded(StepResult(note: "key already deleted"))
            }
            guard key.keyState == .pendingDeletion else { throw error }
            return .succeeded(
                StepResult(deletionDate: key.deletionDate, keyState: key.keyState, note: "already pending deletion; DeletionDate kept"))
        }
    }

    private func awaitDeletion(_ step: Step, context: StepContext) async throws -> StepRunOutcome {
        let keyID = step.keyID ?? ""
        let checks = step.result?.checks ?? 0
        var result = step.result ?? StepResult()
        result.lastCheckedAt = now()
        result.checks = checks + 1
        guard let key = try await kms.describeKeyIfPresent(keyID) else {
            result.keyState = .deleted
            result.note = "NotFoundException: key deleted"
            return .succeeded(result)
        }
        guard key.keyState == .pendingDeletion else {
            return .drift([DriftItem(kind: .deletionCancelled, keyID: keyID, expected: "PendingDeletion", found: key.keyState?.rawValue ?? "unknown")])
        }
        let deletionDate = key.deletionDate ?? result.deletionDate
        result.deletionDate = deletionDate
        result.keyState = key.keyState
        if let deletionDate, now().timeIntervalSince(deletionDate) > PollSchedule.deletionLateness {
            events(.warning(step.id, message: "KMS has not deleted key \(keyID) more than 24 hours after its DeletionDate; still waiting."))
        }
        var next = now().addingTimeInterval(PollSchedule.deletionInterval(check: checks))
        if let deletionDate, deletionDate > now() { next = deletionDate.addingTimeInterval(ExecutionState.deletionGrace) }
        return .waiting(until: next, result)
    }

    private func deleteStore(_ step: Step, storeID: String) async throws -> StepRunOutcome {
        let retries = step.result?.checks ?? 0
        do {
            let requestID = try await audited(step, DeleteCustomKeyStore.name, keyStoreID: storeID) { try await kms.deleteStore(storeID) }
            return .succeeded(StepResult(requestID: requestID))
        } catch let error as KMSError where error.code == .keyStoreNotFound {
            return .succeeded(StepResult(note: "already deleted"))
        } catch let error as KMSError where error.code == .keyStoreHasKeys && retries < PollSchedule.deleteStoreRetries {
            // KMS forgets deleted keys eventually, not at once: a scheduled retry, like every other wait.
            return .waiting(
                until: now().addingTimeInterval(PollSchedule.deleteStoreInterval(retry: retries)),
                StepResult(
                    note: "\(error.awsErrorType ?? "CustomKeyStoreHasCMKsException"): KMS still lists deleted keys; trying again",
                    lastCheckedAt: now(), checks: retries + 1))
        }
    }

    // MARK: - Audit

    /// Makes a call that changes KMS and appends its audit record (ok, error or unknown).
    func audited(
        _ step: Step, _ operation: OperationName, keyID: String? = nil, keyStoreID: String? = nil,
        _ call: () async throws -> String?
    ) async throws -> String? {
        try await calls.make(stepID: step.id, operation, keyID: keyID, keyStoreID: keyStoreID) {
            let requestID = try await call()
            return (requestID, requestID)
        }
    }

    /// Makes a call that changes KMS and appends its audit record, reading the request id from the result.
    func audited<T: Sendable>(
        _ step: Step, _ operation: OperationName, keyID: String? = nil, keyStoreID: String? = nil,
        _ call: () async throws -> (T, String?)
    ) async throws -> T {
        try await calls.make(stepID: step.id, operation, keyID: keyID, keyStoreID: keyStoreID) {
            let (value, requestID) = try await call()
            return (value, requestID)
        }
    }
}
