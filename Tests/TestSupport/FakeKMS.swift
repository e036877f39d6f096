import Decommission
import Foundation
import KMSAPI

/// The one in-memory KMS of the tests, at the `KMSGateway` seam: AWS's state rules for the calls
/// the executor and canceller make, the reads the planner makes (paged), a call log, one-shot
/// failures, lost answers and denied operations.
public actor FakeKMS: KMSGateway {
    public struct Key: Sendable {
        public var id: String
        public var storeID: String?
        public var state: KeyState
        public var deletionDate: Date?
        public var creationDate: Date?
        public var lastUsed: Date?
        public var account = "111122223333"
        public var region = "us-east-1"
        public var arn: String { "arn:aws:kms:\(region):\(account):key/\(id)" }
    }
    public struct Store: Sendable {
        public var entry: CustomKeyStoresListEntry
        public var readyAt: Date?
        public var target: ConnectionState?
    }

    public let time: VirtualTime
    public internal(set) var stores: [String: Store] = [:]
    public internal(set) var keys: [String: Key] = [:]
    /// Key ids in `ListKeys` order.
    var keyOrder: [String] = []
    var storeOrder: [String] = []
    var account = FakeKMSAccount()
    /// Every call, as "Operation target".
    public internal(set) var calls: [String] = []
    /// One-shot failures by "Operation target".
    var failures: [String: KMSError] = [:]
    /// Calls that are applied but then answer with a dropped connection, once.
    var dropAfterApply: Set<String> = []
    /// Safety rules the caller broke (disconnecting a store that still holds keys).
    public internal(set) var violations: [String] = []
    /// Runs after every call (to change state at a precise moment).
    var afterCall: (@Sendable (String, FakeKMS) async -> Void)?
    var describesInFlight = 0
    /// The most DescribeKey calls in flight at once.
    public internal(set) var maxDescribesInFlight = 0
    var describesServed = 0
    /// DescribeKey answers served before the second ListKeys page was answered.
    public internal(set) var describesBeforeSecondPage: Int?
    var pageWaiters: [CheckedContinuation<Void, Never>] = []

    public init(time: VirtualTime) { self.time = time }

    /// An account seeded as the planner's tests describe it.
    public init(account: FakeKMSAccount, time: VirtualTime) {
        self.time = time
        self.account = account
        for store in account.stores {
            guard let id = store.customKeyStoreID else { continue }
            stores[id] = Store(entry: store)
            storeOrder.append(id)
        }
        for metadata in account.keys {
            keys[metadata.keyID] = Key(
                id: metadata.keyID, storeID: metadata.customKeyStoreID, state: metadata.keyState ?? .enabled, deletionDate: metadata.deletionDate,
                creationDate: metadata.creationDate, lastUsed: account.usage[metadata.keyID]?.timestamp,
                account: metadata.awsAccountID ?? "111122223333")
            keyOrder.append(metadata.keyID)
        }
    }

    public func addStore(_ id: String, type: CustomKeyStoreType = .cloudHSM, cluster: String? = "cluster-1234567", state: ConnectionState = .connected) {
        if stores[id] == nil { storeOrder.append(id) }
        stores[id] = Store(
            entry: CustomKeyStoresListEntry(
                customKeyStoreID: id, customKeyStoreName: "store-\(id)", cloudHsmClusterID: type == .cloudHSM ? cluster : nil,
                connectionState: state, customKeyStoreType: type,
                xksProxyConfiguration: type == .external
                    ? XksProxyConfiguration(connectivity: .publicEndpoint, uriEndpoint: "https://xks.example.com", uriPath: "/kms/xks/v1")
                    : nil))
    }
    public func addKey(_ id: String, store: String?, state: KeyState = .enabled, deletionDate: Date? = nil) {
        if keys[id] == nil { keyOrder.append(id) }
        keys[id] = Key(id: id, storeID: store, state: state, deletionDate: deletionDate)
    }
    public func setKeyState(_ id: String, _ state: KeyState, deletionDate: Date? = nil) {
        keys[id]?.state = state
        keys[id]?.deletionDate = deletionDate
    }
    public func setLastUsed(_ id: String, _ date: Date) { keys[id]?.lastUsed = date }
    public func setCluster(_ id: String, _ cluster: String) { stores[id]?.entry.cloudHsmClusterID = cluster }
    public func setAfterCall(_ hook: (@Sendable (String, FakeKMS) async -> Void)?) { afterCall = hook }
    public func fail(_ call: String, with error: KMSError) { failures[call] = error }
    public func drop(_ call: String) { dropAfterApply.insert(call) }
    /// Answers every call of `operation` with AccessDeniedException from now on.
    public func deny(_ operation: String) { account.denied.insert(operation) }
    public func keyState(_ id: String) -> KeyState? {
        purge()
        return keys[id]?.state
    }
    public func storeState(_ id: String) -> ConnectionState? {
        settle()
        return stores[id]?.entry.connectionState
    }
    /// The operation of every call, in order.
    public var operations: [String] { calls.map { String($0.split(separator: " ", maxSplits: 1).first ?? "") } }

    /// The calls that change KMS, in order.
    public var mutatingCalls: [String] {
        calls.filter { call in
            ["Connect", "Disconnect", "DeleteCustom", "DisableKey", "EnableKey", "Schedule", "CancelKey"].contains { call.hasPrefix($0) }
        }
    }

    // MARK: - Rules

    func purge() {
        let now = time.now()
        for (id, key) in keys where key.state == .pendingDeletion && (key.deletionDate ?? .distantFuture) <= now {
            keys[id] = nil
        }
    }
    func settle() {
        let now = time.now()
        for (id, store) in stores {
            guard let readyAt = store.readyAt, readyAt <= now, let target = store.target else { continue }
            stores[id]?.entry.connectionState = target
            stores[id]?.readyAt = nil
            stores[id]?.target = nil
            for (keyID, key) in keys where key.storeID == id && key.state != .pendingDeletion {
                if target == .disconnected { keys[keyID]?.state = .unavailable }
            }
        }
    }
    func log(_ operation: String, _ target: String) async throws {
        purge()
        settle()
        let call = "\(operation) \(target)"
        calls.append(call)
        if account.denied.contains(operation) {
            throw KMSError(
                code: .accessDenied, message: "User is not authorized to perform kms:\(operation)", awsErrorType: "AccessDeniedException")
        }
        if let error = failures.removeValue(forKey: call) { throw error }
    }
    func finish(_ operation: String, _ target: String) async throws -> String? {
        let call = "\(operation) \(target)"
        if let hook = afterCall { await hook(call, self) }
        if dropAfterApply.remove(call) != nil {
            throw KMSError(code: .connectionLost, message: "The connection dropped.", retryability: .transient)
        }
        return "req-\(calls.count)"
    }
    func notFound() -> KMSError {
        KMSError(code: .keyNotFound, message: "Key not found.", awsErrorType: "NotFoundException")
    }
    func storeNotFound() -> KMSError {
        KMSError(code: .keyStoreNotFound, message: "Store not found.", awsErrorType: "CustomKeyStoreNotFoundException")
    }
    func invalidState(_ message: String) -> KMSError {
        KMSError(code: .invalidKeyState, message: message, awsErrorType: "KMSInvalidStateException")
    }
    func metadata(_ key: Key) -> KeyMetadata {
        let store = key.storeID.flatMap { stores[$0]?.entry }
        let origin: KeyOrigin = store == nil ? "AWS_KMS" : store?.customKeyStoreType == .external ? .externalKeyStore : .cloudHSM
        return KeyMetadata(
            keyID: key.id, awsAccountID: key.account, arn: key.arn, creationDate: key.creationDate, enabled: key.state == .enabled,
            keyState: key.state, deletionDate: key.deletionDate, origin: origin, customKeyStoreID: key.storeID)
    }
}
