import Foundation

/// The record of a `cancel`.
public struct Cancellation: Codable, Sendable, Equatable {
    public var cancelledAt: Date
    public var reEnable: Bool
    public var savedKeys: [String]
    public var unsavableKeys: [String]
    public var leftPendingKeys: [String]
    public var completed: Bool
    public init(cancelledAt: Date, reEnable: Bool, savedKeys: [String] = [], unsavableKeys: [String] = [], leftPendingKeys: [String] = [], completed: Bool = false) {
        self.cancelledAt = cancelledAt
        self.reEnable = reEnable
        self.savedKeys = savedKeys
        self.unsavableKeys = unsavableKeys
        self.leftPendingKeys = leftPendingKeys
        self.completed = completed
    }
}
