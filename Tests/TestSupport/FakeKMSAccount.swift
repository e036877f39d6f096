import Foundation
import KMSAPI

/// What a `FakeKMS` account holds at the start: stores, keys in `ListKeys` order, and the evidence
/// the planner reads (aliases, grants, tags, last use), plus the misbehaviour a test asks for.
public struct FakeKMSAccount: Sendable {
    public var stores: [CustomKeyStoresListEntry] = []
    /// Keys in the order `ListKeys` returns them.
    public var keys: [KeyMetadata] = []
    public var aliases: [AliasListEntry] = []
    public var grants: [String: Int] = [:]
    public var tags: [String: [Tag]] = [:]
    public var usage: [String: KeyLastUsage] = [:]
    public var trackingStart: Date?
    /// Keys that answer NotFoundException to DescribeKey though ListKeys lists them.
    public var vanishOnDescribe: Set<String> = []
    /// Operations answered AccessDeniedException.
    public var denied: Set<String> = []
    /// Holds ListKeys pages after the first until a DescribeKey has been answered.
    public var holdLaterPagesUntilDescribe = false

    public init() {}
}
