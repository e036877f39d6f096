import Foundation

/// Where a plan-time sweep checkpoints its progress: a mode-0600 JSON file beside the plan
/// (`<plan>.sweep.json`), replaced atomically, removed once the plan is written.
public struct SweepProgressFile: Sendable {
    public let path: String

    public init(path: String) { self.path = path }

    /// The progress file of the plan at `planPath` (`plans/cks-1.json` → `plans/cks-1.sweep.json`).
    public init(forPlan planPath: String) { self.path = SiblingFile.path(forPlan: planPath, suffix: ".sweep.json") }

    /// The saved progress, or nil when there is none.
    /// - Throws: `DecommissionError` with `io.failed` (unreadable), or a `DecodingError` (not a progress file).
    public func load() throws -> SweepProgress? {
        guard let data = try AtomicFile.read(path) else { return nil }
        return try JSONCoding.makeDecoder().decode(SweepProgress.self, from: data)
    }

    /// Replaces the file with `progress` (compact JSON, mode 0600, atomic).
    /// - Throws: `DecommissionError` with `io.failed`.
    public func save(_ progress: SweepProgress) throws {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty { try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        try AtomicFile.write(try JSONCoding.makeCompactEncoder().encode(progress), to: path)
    }

    /// Removes the file (nothing when it is missing).
    public func remove() { try? FileManager.default.removeItem(atPath: path) }
}
