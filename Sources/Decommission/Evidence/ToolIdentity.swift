import KMSAPI

/// What marks a CloudTrail event as the tool's own call, which is never evidence.
///
/// An event is the tool's own when it was signed with one of the tool's access keys (or made by
/// one of its principals) *and* names an operation the tool itself calls. A cryptographic call
/// signed with the tool's key still counts: the tool never makes one, so a caller sharing its
/// credentials is a dependent, and hiding it would hide the very evidence sought.
public struct ToolIdentity: Sendable, Equatable {
    /// The access key ids the tool signs with (the current session's, and any recorded before).
    public var accessKeyIDs: Set<String>
    /// The principal ARNs the tool runs as (`userIdentity.arn` or the session issuer's).
    public var principalARNs: Set<String>
    /// The operations the tool calls.
    public var operations: Set<String>

    public init(
        accessKeyIDs: Set<String> = [], principalARNs: Set<String> = [], operations: Set<String> = ToolIdentity.toolOperations
    ) {
        self.accessKeyIDs = accessKeyIDs
        self.principalARNs = principalARNs
        self.operations = operations
    }

    /// The read-only operations the tool calls while planning, observing and guarding.
    public static let readOnlyOperations: Set<String> = Set(
        [
            DescribeCustomKeyStores.name, ListKeys.name, DescribeKey.name, ListAliases.name, ListGrants.name,
            ListResourceTags.name, GetKeyLastUsage.name, LookupEvents.name,
        ].map(\.rawValue))

    /// Every operation the tool calls: its read-only ones and the changes a plan makes.
    public static let toolOperations: Set<String> = readOnlyOperations.union(
        [
            DisableKey.name, EnableKey.name, ScheduleKeyDeletion.name, CancelKeyDeletion.name,
            ConnectCustomKeyStore.name, DisconnectCustomKeyStore.name, DeleteCustomKeyStore.name,
        ].map(\.rawValue))

    /// Whether the record is one of the tool's own calls.
    public func isOwnCall(_ record: CloudTrailRecord) -> Bool {
        guard let name = record.eventName, operations.contains(name) else { return false }
        if let key = record.accessKeyID, accessKeyIDs.contains(key) { return true }
        return [record.principalARN, record.sessionIssuerARN].contains { $0.map(principalARNs.contains) ?? false }
    }
}
