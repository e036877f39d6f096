import Foundation
import KMSAPI

/// The plan-time CloudTrail sweep: every store key's events over one window, read beside the
/// KMS evidence reads; the first "unavailable" failure stops further lookups and is recorded.
///
/// With a progress file it checkpoints each finished key's summary and each key's `NextToken`
/// (at most every `interval` seconds), and resumes from saved progress: a finished key is read
/// only over the gap after its saved window (`SweepProgress.reusable(_:for:)`), a key in
/// progress goes on from its token.
actor PlanTimeSweep {
    private let sweeper: EvidenceSweeper
    let window: EvidenceWindow
    private var keysRead = 0
    private var eventsRead = 0
    private var unavailableReason: String?

    private var file: SweepProgressFile?
    private let interval: TimeInterval
    private let now: @Sendable () -> Date
    private let note: @Sendable (String) -> Void
    private var progress: SweepProgress?
    private let resumed: [String: SweepProgress.KeySweep]
    private var lastSave: Date
    private var gapTask: Task<[CloudTrailRecord]?, any Error>?
    private var unsaved = false

    init(
        source: CloudTrailEvidenceSource, window: EvidenceWindow,
        checkpoint: (file: SweepProgressFile, identity: SweepProgress.Identity, saved: SweepProgress?)? = nil, interval: TimeInterval = SweepCheckpointing.defaultInterval,
        now: @escaping @Sendable () -> Date = { Date() }, note: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.sweeper = EvidenceSweeper(source: source)
        self.window = window
        self.file = checkpoint?.file
        self.interval = interval
        self.now = now
        self.note = note
        let saved = (checkpoint?.saved?.keys ?? [:]).filter { SweepProgress.reusable($0.value, for: window) }
        self.resumed = saved
        self.progress = checkpoint.map { SweepProgress(identity: $0.identity, keys: saved) }
        self.lastSave = now()
    }

    /// How many keys the saved progress lets this run skip or continue.
    var resumedKeys: (finished: Int, inProgress: Int) {
        (resumed.values.filter { $0.nextToken == nil }.count, resumed.values.filter { $0.nextToken != nil }.count)
    }

    /// Reads one key's events; nil once CloudTrail proved unavailable.
    /// - Throws: `KMSError` other than unavailability (a malformed request), `CancellationError`.
    func read(keyARN: String) async throws -> KeyTrailEvidence? {
        guard unavailableReason == nil, !keyARN.isEmpty else { return nil }
        do {
            let summary = try await sweepKey(keyARN)
            keysRead += 1
            eventsRead += summary.eventsRead
            record(keyARN, SweepProgress.KeySweep(summary, nextToken: nil))
            return KeyTrailEvidence(summary)
        } catch where EvidenceSweeper.isUnavailable(error) {
            if unavailableReason == nil { unavailableReason = EvidenceSweeper.reason(error) }
            return nil
        }
    }

    private func sweepKey(_ keyARN: String) async throws -> KeyUseSummary {
        let checkpoint: @Sendable (KeyUseSummary, String?) async throws -> Void = { summary, token in
            guard let token else { return }
            await self.record(keyARN, SweepProgress.KeySweep(summary, nextToken: token))
        }
        guard var saved = resumed[keyARN] else {
            return try await sweeper.sweep(keyARN: keyARN, window: window, onPage: checkpoint)
        }
        var summary = saved.summary(keyARN: keyARN)
        if let token = saved.nextToken {
            do {
                // The token continues the saved window's request, so it is read with that window.
                summary = try await sweeper.sweep(keyARN: keyARN, window: saved.window, resumingAt: (token, summary), onPage: checkpoint)
            } catch where !EvidenceSweeper.isUnavailable(error) && !(error is CancellationError) {
                // A token CloudTrail no longer accepts: read the key again in full.
                return try await sweeper.sweep(keyARN: keyARN, window: window, onPage: checkpoint)
            }
            saved = SweepProgress.KeySweep(summary, nextToken: nil)
            record(keyARN, saved)
        }
        if let shared = try await sharedGap() {
            SharedGapSweep.fold(shared, into: &summary, after: saved.windowEnd, end: window.end, rules: sweeper.source.rules)
            return summary
        }
        // The gap is short (the time between the runs); its pages are not checkpointed one by one.
        return try await sweeper.sweep(keyARN: keyARN, window: SweepProgress.gap(after: saved, in: window), extending: summary)
    }

    /// The account's KMS key events since the earliest saved window end, read once for every
    /// resumed key, within a budget of a quarter page per resumed key; nil past it or when the
    /// read fails (each key's gap is then read on its own).
    private func sharedGap() async throws -> [CloudTrailRecord]? {
        if gapTask == nil {
            guard let earliest = resumed.values.map(\.windowEnd).min() else { return nil }
            let gap = EvidenceWindow(start: earliest.addingTimeInterval(1), end: window.end, requestedStart: window.requestedStart)
            let reader = SharedGapSweep(source: sweeper.source)
            let budget = max(1, resumed.count / 4)
            gapTask = Task { try await reader.records(in: gap, pageBudget: budget) }
        }
        let task = gapTask
        do {
            // A cancelled plan (Ctrl-C) stops the shared read too, instead of waiting for it.
            return try await withTaskCancellationHandler { try await task?.value } onCancel: { task?.cancel() }
        } catch where !(error is CancellationError) {
            return nil
        }
    }

    private func record(_ keyARN: String, _ sweep: SweepProgress.KeySweep) {
        guard progress != nil else { return }
        progress?.keys[keyARN] = sweep
        unsaved = true
        if now().timeIntervalSince(lastSave) >= interval { flush() }
    }

    /// Writes the progress if anything changed since the last write. A failed write is noted
    /// once and ends checkpointing; the sweep goes on.
    func flush() {
        guard unsaved, let file, let progress else { return }
        unsaved = false
        lastSave = now()
        do {
            try file.save(progress)
        } catch {
            note("Could not checkpoint the CloudTrail sweep to '\(file.path)' (\(error)); an interrupted plan will sweep again.")
            self.file = nil
        }
    }

    /// What the sweep read, for the plan.
    func summary() -> EvidenceSummary {
        EvidenceSummary(window: window, keysRead: keysRead, eventsRead: eventsRead, unavailableReason: unavailableReason)
    }
}
