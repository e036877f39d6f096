import Foundation
import KMSAPI

/// The one way `Decommission` makes a call that changes KMS: the call's audit record (ok, error or
/// unknown), and, when the outcome is in doubt, live state decides whether it is sent again.
/// Used by `StepRunner` and `Canceller` alike.
struct AuditedCalls: Sendable {
    let audit: (any AuditTrail)?
    let now: @Sendable () -> Date

    /// How many times a change is sent in all, when its outcome stays unknown.
    static let maxAttempts = 3

    /// Makes one call that changes KMS and appends its audit record, reading the request id
    /// from the result; an outcome in doubt (`mayHaveBeenApplied`) is recorded `unknown`.
    func make<T: Sendable>(
        stepID: StepID?, _ operation: OperationName, keyID: String? = nil, keyStoreID: String? = nil,
        _ call: () async throws -> (T, requestID: String?)
    ) async throws -> T {
        do {
            let (value, requestID) = try await call()
            try await audit?.record(
                time: now(), stepID: stepID, operation: operation.rawValue, keyID: keyID, keyStoreID: keyStoreID, outcome: .ok,
                awsErrorType: nil, requestID: requestID)
            return value
        } catch let error as KMSError {
            try await audit?.record(
                time: now(), stepID: stepID, operation: operation.rawValue, keyID: keyID, keyStoreID: keyStoreID,
                outcome: error.mayHaveBeenApplied ? .unknown : .error, awsErrorType: error.awsErrorType, requestID: error.requestID)
            throw error
        }
    }

    /// Sends a change until it is known to be in place. The client never resends a change whose
    /// answer was lost, so on an error for which `reconcileOn` holds this asks `reconcile` (a live
    /// read) whether the change is in place, and returns its answer if so; otherwise it sends
    /// again when `resendOn` holds, at most `maxAttempts` times in all, and throws the error.
    func resolving<T: Sendable>(
        reconcileOn: (KMSError) -> Bool, resendOn: (KMSError) -> Bool, send: () async throws -> T,
        reconcile: () async throws -> T?
    ) async throws -> T {
        var attempt = 1
        while true {
            do {
                return try await send()
            } catch let error as KMSError where reconcileOn(error) {
                if let value = try await reconcile() { return value }
                guard resendOn(error), attempt < Self.maxAttempts else { throw error }
                attempt += 1
            }
        }
    }
}
