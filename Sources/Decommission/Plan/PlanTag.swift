import Foundation

/// A resource tag as recorded in a plan.
public struct PlanTag: Codable, Sendable, Equatable {
    public var key: String
    public var value: String
    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}
