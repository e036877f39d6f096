import Foundation

/// The options a plan was made with.
public struct PlanOptions: Codable, Sendable, Equatable {
    public var pendingWindowDays: Int
    public var observeDays: Double
    public var minIdleDays: Double
    public var connect: Bool
    /// The `--accept` arguments, as given (`CODE` or `CODE:KEY`).
    public var accepted: [String]

    public init(pendingWindowDays: Int = 30, observeDays: Double = 0, minIdleDays: Double = 30, connect: Bool = false, accepted: [String] = []) {
        self.pendingWindowDays = pendingWindowDays
        self.observeDays = observeDays
        self.minIdleDays = minIdleDays
        self.connect = connect
        self.accepted = accepted
    }
}
