import Foundation

/// How `plan` checkpoints its CloudTrail sweep so an interrupted plan resumes it: the progress
/// file for the store, how often it is written, and where notes for the operator go.
public struct SweepCheckpointing: Sendable {
    /// The progress file for a store id (nil: this plan keeps no checkpoint).
    public var file: @Sendable (_ keyStoreID: String) -> SweepProgressFile?
    /// Least seconds between two writes: each write replaces the whole file, so writing on a
    /// timer keeps the bytes written linear in the sweep's length; a kill loses at most this long.
    public var interval: TimeInterval
    /// Receives one-line notes: a sweep resumed, a progress file not used and why.
    public var note: @Sendable (String) -> Void

    public static let defaultInterval: TimeInterval = 5

    public init(
        interval: TimeInterval = SweepCheckpointing.defaultInterval, note: @escaping @Sendable (String) -> Void = { _ in },
        file: @escaping @Sendable (_ keyStoreID: String) -> SweepProgressFile?
    ) {
        self.file = file
        self.interval = interval
        self.note = note
    }

    /// The saved progress in `file` that this run may use, or nil (with a note) when there is
    /// none, it cannot be read, or it belongs to another store, endpoint or window option.
    func resumable(from file: SweepProgressFile, identity: SweepProgress.Identity) -> SweepProgress? {
        let saved: SweepProgress?
        do {
            saved = try file.load()
        } catch {
            note("The CloudTrail sweep progress in '\(file.path)' is unreadable; sweeping from the start and replacing it.")
            return nil
        }
        guard let saved else { return nil }
        guard saved.identity == identity else {
            note(
                "The CloudTrail sweep progress in '\(file.path)' is for another store, endpoint or window option; sweeping from the start and replacing it."
            )
            return nil
        }
        return saved
    }
}
