import Foundation
import KMSAPI

extension StepRunner {
    /// Reads live state for a step that may have been applied (left running by a crash, or a call
    /// whose connection dropped): returns `.succeeded` if the change is already in place, nil if
    /// the step must run. Read-only steps always return nil: they are simply run again.
    func reconcile(_ step: Step, context: StepContext) async throws -> StepRunOutcome? {
        let storeID = context.target.keyStoreID
        switch step.action {
        case .scheduleDeletion:
            guard let keyID = step.keyID else { return nil }
            guard let key = try await kms.describeKeyIfPresent(keyID) else {
                return .succeeded(StepResult(keyState: .deleted, note: "reconciled: key already deleted"))
            }
            guard key.keyState == .pendingDeletion else { return nil }
            return .succeeded(
                StepResult(deletionDate: key.deletionDate, keyState: key.keyState, note: "reconciled: already pending deletion; DeletionDate kept"))
        case .disableKey:
            guard let keyID = step.keyID, let key = try await kms.describeKeyIfPresent(keyID) else { return nil }
            guard key.keyState == .disabled else { return nil }
            return .succeeded(StepResult(keyState: key.keyState, note: "reconciled: already Disabled"))
        case .connectStore:
            guard let store = try await kms.describeStoreIfPresent(storeID),
                store.connectionState == .connected || store.connectionState == .connecting
            else { return nil }
            return .succeeded(StepResult(connectionState: store.connectionState, note: "reconciled: already \(store.connectionState?.rawValue ?? "")"))
        case .disconnectStore:
            guard let store = try await kms.describeStoreIfPresent(storeID),
                store.connectionState == .disconnected || store.connectionState == .disconnecting
            else { return nil }
            return .succeeded(StepResult(connectionState: store.connectionState, note: "reconciled: already \(store.connectionState?.rawValue ?? "")"))
        case .deleteStore:
            guard try await kms.describeStoreIfPresent(storeID) == nil else { return nil }
            return .succeeded(StepResult(note: "reconciled: store already deleted"))
        default:
            return nil
        }
    }
}
