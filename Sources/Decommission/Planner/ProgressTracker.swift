import Foundation

/// Counts discovery progress and decides when to report it, with rate and ETA (pure but for the
/// times it is given).
struct ProgressTracker {
    let storeID: String
    let started: Date
    var listed = 0
    var total: Int?
    var scanned = 0
    var storeKeys = 0
    var evidenceCollected = 0
    private var lastReported: (scanned: Int, evidence: Int, listed: Int, phase: DiscoveryEvent.Phase)?

    /// Reports after every ListKeys page, every `describeStride` describes, every evidence
    /// completion and every phase change; not more, so a 100,000-key scan sends a few thousand events.
    static let describeStride = 100

    init(storeID: String, started: Date) {
        self.storeID = storeID
        self.started = started
    }

    /// The event to report now, or nil when nothing worth reporting changed.
    mutating func event(at now: Date, scanDone: Bool) -> DiscoveryEvent? {
        let phase: DiscoveryEvent.Phase =
            scanDone ? (evidenceCollected >= storeKeys ? .finished : .collectingEvidence) : .scanning
        if let last = lastReported, last.phase == phase, last.listed == listed, last.evidence == evidenceCollected,
            scanned - last.scanned < Self.describeStride
        {
            return nil
        }
        lastReported = (scanned, evidenceCollected, listed, phase)
        return snapshot(phase: phase, at: now)
    }

    /// The current counts as an event, with rate and ETA.
    func snapshot(phase: DiscoveryEvent.Phase, at now: Date) -> DiscoveryEvent {
        let elapsed = now.timeIntervalSince(started)
        let rate = elapsed > 0 && scanned > 0 ? Double(scanned) / elapsed : nil
        var remaining: [Double] = []
        if let total, let rate { remaining.append(Double(max(0, total - scanned)) / rate) }
        if elapsed > 0, evidenceCollected > 0 {
            let evidenceRate = Double(evidenceCollected) / elapsed
            remaining.append(Double(max(0, storeKeys - evidenceCollected)) / evidenceRate)
        }
        return DiscoveryEvent(
            phase: phase, keyStoreID: storeID, scanned: scanned, listed: listed, total: total, storeKeys: storeKeys,
            evidenceCollected: evidenceCollected, keysPerSecond: rate,
            estimatedSecondsRemaining: phase == .finished ? 0 : remaining.max())
    }
}
