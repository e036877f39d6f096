import Foundation
import KMSAPI
import Synchronization

/// The emulated KMS: custom key stores, keys, aliases, grants, tags and usage, with AWS's state
/// rules, evaluated lazily against the emulator clock at the start of every call.
///
/// Synchronous by design: socket threads call it directly, and one mutex keeps calls atomic.
final class KMSModel: Sendable {
    let clock: EmulatorClock
    /// Simulated seconds between DeletionDate and the key vanishing, before the time scale.
    let deletionLagSeconds: TimeInterval
    private let state: Mutex<ModelState>
    private let makeID: @Sendable () -> String

    /// Creates a model over an initial state.
    /// - Parameter makeID: source of fresh UUIDs (tests may make them deterministic).
    init(
        state: ModelState, clock: EmulatorClock, deletionLagSeconds: TimeInterval = 0,
        makeID: @escaping @Sendable () -> String = { UUID().uuidString.lowercased() }
    ) {
        self.state = Mutex(state)
        self.clock = clock
        self.deletionLagSeconds = max(0, deletionLagSeconds)
        self.makeID = makeID
    }

    /// Runs `body` on the state after applying every transition due by now.
    func withState<T: Sendable>(
        _ body: (inout ModelState, Date) throws(ServiceError) -> T
    ) throws(ServiceError) -> T {
        let now = clock.now()
        let result: Result<T, ServiceError> = state.withLock { state in
            _ = state.settle(at: now)
            do throws(ServiceError) {
                return .success(try body(&state, now))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Returns a copy of the whole state (for persistence), after due transitions.
    func snapshot() -> ModelState {
        let now = clock.now()
        return state.withLock { state in
            _ = state.settle(at: now)
            return state
        }
    }

    /// Makes a fresh key or grant id.
    func freshID() -> String { makeID() }

    /// Makes a custom key store id in AWS's `cks-` + 17 hex digits form.
    func freshStoreID() -> String {
        let hex = makeID().replacingOccurrences(of: "-", with: "")
        return "cks-" + hex.prefix(17)
    }
}

extension KMSModel {
    /// The account id and Region in the model's ARNs.
    func names() -> (accountID: String, region: String) {
        (try? withState { (state, _) throws(ServiceError) in (state.accountID, state.region) }) ?? ("", "")
    }
}
