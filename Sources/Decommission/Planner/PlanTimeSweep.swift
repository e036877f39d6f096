import Foundation
import KMSAPI

/// The plan-time CloudTrail sweep: every store key's events over one window, read beside the
/// KMS evidence reads; the first "unavailable" failure stops further lookups and is recorded.
actor PlanTimeSweep {
    private let sweeper: EvidenceSweeper
    let window: EvidenceWindow
    private var keysRead = 0
    private var eventsRead = 0
    private var unavailableReason: String?

    init(source: CloudTrailEvidenceSource, window: EvidenceWindow) {
        self.sweeper = EvidenceSweeper(source: source)
        self.window = window
    }

    /// Reads one key's events; nil once CloudTrail proved unavailable.
    /// - Throws: `KMSError` other than unavailability (a malformed request), `CancellationError`.
    func read(keyARN: String) async throws -> KeyTrailEvidence? {
        guard unavailableReason == nil, !keyARN.isEmpty else { return nil }
        do {
            let summary = try await sweeper.sweep(keyARN: keyARN, window: window)
            keysRead += 1
            eventsRead += summary.eventsRead
            return KeyTrailEvidence(summary)
        } catch where EvidenceSweeper.isUnavailable(error) {
            if unavailableReason == nil { unavailableReason = EvidenceSweeper.reason(error) }
            return nil
        }
    }

    /// What the sweep read, for the plan.
    func summary() -> EvidenceSummary {
        EvidenceSummary(window: window, keysRead: keysRead, eventsRead: eventsRead, unavailableReason: unavailableReason)
    }
}
