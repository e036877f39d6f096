import Foundation
import KMSAPI
import Synchronization

/// Decides, deterministically from a seed, which requests fail on purpose (`--fault-rate`).
final class FaultInjector: Sendable {
    /// What to do with one request.
    enum Decision: Sendable, Equatable {
        case none
        /// Answer KMSInternalException without applying the request.
        case internalErrorBeforeApplying
        /// Apply the request, then close the connection without answering.
        case dropAfterApplying
    }

    private let rate: Double
    private let generator: Mutex<SplitMix64>

    init(rate: Double, seed: UInt64) {
        self.rate = min(1, max(0, rate))
        self.generator = Mutex(SplitMix64(seed: seed))
    }

    /// Draws the decision for the next request; only mutating operations may be dropped.
    func decide(isMutating: Bool) -> Decision {
        guard rate > 0 else { return .none }
        return generator.withLock { generator in
            guard Self.unit(generator.next()) < rate else { return .none }
            if isMutating, Self.unit(generator.next()) < 0.5 { return .dropAfterApplying }
            return .internalErrorBeforeApplying
        }
    }

    private static func unit(_ value: UInt64) -> Double {
        Double(value >> 11) / Double(UInt64(1) << 53)
    }
}
