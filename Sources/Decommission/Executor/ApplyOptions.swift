import Foundation

/// How `apply` runs.
public struct ApplyOptions: Sendable, Equatable {
    /// Continue a plan that has started (`--resume`).
    public var resume: Bool
    /// Sleep until the next due time and go on until the plan completes (`--wait`).
    public var wait: Bool
    /// The fingerprint (or a prefix of at least 12 hex digits) approving a fresh plan (`--approve`).
    public var approveFingerprint: String?
    /// The most steps in flight at once.
    public var maxConcurrency: Int
    /// Without `wait`, still sleep for short polls (store connecting) due within this span.
    public var inlineWaitLimit: Duration

    public init(
        resume: Bool = false, wait: Bool = false, approveFingerprint: String? = nil, maxConcurrency: Int = 16,
        inlineWaitLimit: Duration = .seconds(120)
    ) {
        self.resume = resume
        self.wait = wait
        self.approveFingerprint = approveFingerprint
        self.maxConcurrency = maxConcurrency
        self.inlineWaitLimit = inlineWaitLimit
    }
}
