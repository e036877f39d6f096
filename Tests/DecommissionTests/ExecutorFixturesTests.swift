import Foundation
import KMSAPI
import Synchronization
import Testing

@testable import Decommission

// Shared test support for the executor suites: virtual time, a clock that never really sleeps,
// an in-memory KMS with a call log, and a plan factory.

/// The time of day in tests; the fast clock moves it forward instead of sleeping.
final class VirtualTime: Sendable {
    // Read by the fake KMS, the executor's `now` and the clock from several tasks.
    private let value: Mutex<Date>
    init(_ start: Date = Date(timeIntervalSince1970: 1_735_689_600)) { value = Mutex(start) }
    func now() -> Date { value.withLock { $0 } }
    func advance(by seconds: TimeInterval) { value.withLock { $0 = $0.addingTimeInterval(seconds) } }
    func advance(to date: Date) { value.withLock { $0 = max($0, date) } }
}

/// An instant of the fast clock: seconds since the epoch as a Duration.
struct VirtualInstant: InstantProtocol {
    var offset: Duration
    func advanced(by duration: Duration) -> VirtualInstant { VirtualInstant(offset: offset + duration) }
    func duration(to other: VirtualInstant) -> Duration { other.offset - offset }
    static func < (lhs: VirtualInstant, rhs: VirtualInstant) -> Bool { lhs.offset < rhs.offset }
}

/// A clock whose sleeps return at once after moving virtual time to the deadline.
struct FastClock: Clock {
    let time: VirtualTime
    var now: VirtualInstant {
        let seconds = time.now().timeIntervalSince1970
        return VirtualInstant(offset: .milliseconds(Int64(seconds * 1000)))
    }
    var minimumResolution: Duration { .zero }
    func sleep(until deadline: VirtualInstant, tolerance: Duration?) async throws {
        try Task.checkCancellation()
        let (seconds, attoseconds) = deadline.offset.components
        time.advance(to: Date(timeIntervalSince1970: Double(seconds) + Double(attoseconds) / 1e18))
        await Task.yield()
    }
}

/// An in-memory KMS with AWS's state rules for the calls the executor makes, and a call log.
actor FakeKMS: KMSGateway {
    struct Key {
        var id: String
        var storeID: String
        var state: KeyState
        var deletionDate: Date?
        var lastUsed: Date?
        var account = "111122223333"
        var region = "us-east-1"
        var arn: String { "arn:aws:kms:\(region):\(account):key/\(id)" }
    }
    struct Store {
        var entry: CustomKeyStoresListEntry
        var readyAt: Date?
        var target: ConnectionState?
    }

    let time: VirtualTime
    var stores: [String: Store] = [:]
    var keys: [String: Key] = [:]
    /// Every call, as "Operation target".
    private(set) var calls: [String] = []
    /// One-shot failures by "Operation target".
    var failures: [String: KMSError] = [:]
    /// Calls that are applied but then answer with a dropped connection, once.
    var dropAfterApply: Set<String> = []
    /// Safety rules the caller broke (disconnecting a store that still holds keys).
    private(set) var violations: [String] = []
    /// Runs after every call (to change state at a precise moment).
    var afterCall: (@Sendable (String, FakeKMS) async -> Void)?

    init(time: VirtualTime) { self.time = time }

    func addStore(_ id: String, type: CustomKeyStoreType = .cloudHSM, cluster: String? = "cluster-1234567", state: ConnectionState = .connected) {
        stores[id] = Store(
            entry: CustomKeyStoresListEntry(
                customKeyStoreID: id, customKeyStoreName: "store-\(id)", cloudHsmClusterID: type == .cloudHSM ? cluster : nil,
                connectionState: state, customKeyStoreType: type,
                xksProxyConfiguration: type == .external
                    ? XksProxyConfiguration(connectivity: .publicEndpoint, uriEndpoint: "https://xks.example.com", uriPath: "/kms/xks/v1")
                    : nil))
    }
    func addKey(_ id: String, store: String, state: KeyState = .enabled, deletionDate: Date? = nil) {
        keys[id] = Key(id: id, storeID: store, state: state, deletionDate: deletionDate)
    }
    func setKeyState(_ id: String, _ state: KeyState, deletionDate: Date? = nil) {
        keys[id]?.state = state
        keys[id]?.deletionDate = deletionDate
    }
    func setLastUsed(_ id: String, _ date: Date) { keys[id]?.lastUsed = date }
    func setCluster(_ id: String, _ cluster: String) { stores[id]?.entry.cloudHsmClusterID = cluster }
    func setAfterCall(_ hook: (@Sendable (String, FakeKMS) async -> Void)?) { afterCall = hook }
    func fail(_ call: String, with error: KMSError) { failures[call] = error }
    func drop(_ call: String) { dropAfterApply.insert(call) }
    func keyState(_ id: String) -> KeyState? {
        purge()
        return keys[id]?.state
    }
    func storeState(_ id: String) -> ConnectionState? {
        settle()
        return stores[id]?.entry.connectionState
    }

    // MARK: - Rules

    private func purge() {
        let now = time.now()
        for (id, key) in keys where key.state == .pendingDeletion && (key.deletionDate ?? .distantFuture) <= now {
            keys[id] = nil
        }
    }
    private func settle() {
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
    private func log(_ operation: String, _ target: String) async throws {
        purge()
        settle()
        let call = "\(operation) \(target)"
        calls.append(call)
        if let error = failures.removeValue(forKey: call) { throw error }
    }
    private func finish(_ operation: String, _ target: String) async throws -> String? {
        let call = "\(operation) \(target)"
        if let hook = afterCall { await hook(call, self) }
        if dropAfterApply.remove(call) != nil {
            throw KMSError(code: .connectionLost, message: "The connection dropped.", retryability: .transient)
        }
        return "req-\(calls.count)"
    }
    private func notFound() -> KMSError {
        KMSError(code: .keyNotFound, message: "Key not found.", awsErrorType: "NotFoundException")
    }
    private func storeNotFound() -> KMSError {
        KMSError(code: .keyStoreNotFound, message: "Store not found.", awsErrorType: "CustomKeyStoreNotFoundException")
    }
    private func invalidState(_ message: String) -> KMSError {
        KMSError(code: .invalidKeyState, message: message, awsErrorType: "KMSInvalidStateException")
    }

    // MARK: - KMSGateway

    func describeStores(_ request: DescribeCustomKeyStoresRequest) async throws -> DescribeCustomKeyStoresResponse {
        let id = request.customKeyStoreID ?? ""
        try await log("DescribeCustomKeyStores", id)
        if request.customKeyStoreID != nil, stores[id] == nil { throw storeNotFound() }
        _ = try await finish("DescribeCustomKeyStores", id)
        let entries = request.customKeyStoreID == nil ? stores.keys.sorted().compactMap { stores[$0]?.entry } : [stores[id]?.entry].compactMap { $0 }
        return DescribeCustomKeyStoresResponse(customKeyStores: entries, truncated: false)
    }
    func listKeys(_ request: ListKeysRequest) async throws -> ListKeysResponse {
        try await log("ListKeys", "")
        _ = try await finish("ListKeys", "")
        let ids = keys.keys.sorted()
        let start = Int(request.marker ?? "0") ?? 0
        let end = min(ids.count, start + (request.limit ?? 100))
        let page = ids[min(start, end)..<end].map { KeyListEntry(keyID: $0, keyArn: keys[$0]?.arn) }
        return ListKeysResponse(keys: page, nextMarker: end < ids.count ? String(end) : nil, truncated: end < ids.count)
    }
    func listAliases(_ request: ListAliasesRequest) async throws -> ListAliasesResponse {
        try await log("ListAliases", "")
        return ListAliasesResponse(aliases: [], truncated: false)
    }
    func listGrants(_ request: ListGrantsRequest) async throws -> ListGrantsResponse {
        try await log("ListGrants", request.keyID)
        return ListGrantsResponse(grants: [], truncated: false)
    }
    func listResourceTags(_ request: ListResourceTagsRequest) async throws -> ListResourceTagsResponse {
        try await log("ListResourceTags", request.keyID)
        return ListResourceTagsResponse(tags: [], truncated: false)
    }
    func describeKey(_ keyID: String) async throws -> KeyMetadata {
        try await log("DescribeKey", keyID)
        guard let key = keys[keyID] else { throw notFound() }
        _ = try await finish("DescribeKey", keyID)
        let store = stores[key.storeID]?.entry
        return KeyMetadata(
            keyID: key.id, awsAccountID: key.account, arn: key.arn, enabled: key.state == .enabled, keyState: key.state,
            deletionDate: key.deletionDate, origin: store?.customKeyStoreType == .external ? .externalKeyStore : .cloudHSM,
            customKeyStoreID: key.storeID)
    }
    func keyLastUsage(_ keyID: String) async throws -> GetKeyLastUsageResponse {
        try await log("GetKeyLastUsage", keyID)
        guard let key = keys[keyID] else { throw notFound() }
        return GetKeyLastUsageResponse(keyID: keyID, keyLastUsage: KeyLastUsage(operation: key.lastUsed == nil ? nil : "Decrypt", timestamp: key.lastUsed))
    }
    func connectStore(_ id: String) async throws -> String? {
        try await log("ConnectCustomKeyStore", id)
        guard stores[id] != nil else { throw storeNotFound() }
        stores[id]?.entry.connectionState = .connecting
        stores[id]?.readyAt = time.now().addingTimeInterval(10)
        stores[id]?.target = .connected
        for (keyID, key) in keys where key.storeID == id && key.state == .unavailable { keys[keyID]?.state = .enabled }
        return try await finish("ConnectCustomKeyStore", id)
    }
    func disconnectStore(_ id: String) async throws -> String? {
        try await log("DisconnectCustomKeyStore", id)
        guard stores[id] != nil else { throw storeNotFound() }
        if keys.values.contains(where: { $0.storeID == id }) { violations.append("disconnected \(id) while it held keys") }
        stores[id]?.entry.connectionState = .disconnecting
        stores[id]?.readyAt = time.now().addingTimeInterval(10)
        stores[id]?.target = .disconnected
        return try await finish("DisconnectCustomKeyStore", id)
    }
    func deleteStore(_ id: String) async throws -> String? {
        try await log("DeleteCustomKeyStore", id)
        guard let store = stores[id] else { throw storeNotFound() }
        if keys.values.contains(where: { $0.storeID == id }) {
            throw KMSError(code: .keyStoreHasKeys, message: "Store has keys.", awsErrorType: "CustomKeyStoreHasCMKsException")
        }
        guard store.entry.connectionState == .disconnected else {
            throw KMSError(code: .keyStoreInvalidState, message: "Store is not disconnected.", awsErrorType: "CustomKeyStoreInvalidStateException")
        }
        stores[id] = nil
        return try await finish("DeleteCustomKeyStore", id)
    }
    func disableKey(_ keyID: String) async throws -> String? {
        try await log("DisableKey", keyID)
        guard keys[keyID] != nil else { throw notFound() }
        keys[keyID]?.state = .disabled
        return try await finish("DisableKey", keyID)
    }
    func enableKey(_ keyID: String) async throws -> String? {
        try await log("EnableKey", keyID)
        guard let key = keys[keyID] else { throw notFound() }
        guard key.state == .disabled || key.state == .enabled else { throw invalidState("Key \(keyID) is \(key.state).") }
        keys[keyID]?.state = .enabled
        return try await finish("EnableKey", keyID)
    }
    func scheduleKeyDeletion(_ keyID: String, pendingWindowDays: Int) async throws -> (ScheduleKeyDeletionResponse, requestID: String?) {
        try await log("ScheduleKeyDeletion", keyID)
        guard let key = keys[keyID] else { throw notFound() }
        guard key.state != .pendingDeletion else { throw invalidState("Key \(keyID) is pending deletion.") }
        let date = time.now().addingTimeInterval(TimeInterval(pendingWindowDays) * 86_400)
        keys[keyID]?.state = .pendingDeletion
        keys[keyID]?.deletionDate = date
        let requestID = try await finish("ScheduleKeyDeletion", keyID)
        return (ScheduleKeyDeletionResponse(keyID: keyID, deletionDate: date, keyState: .pendingDeletion, pendingWindowInDays: pendingWindowDays), requestID)
    }
    func cancelKeyDeletion(_ keyID: String) async throws -> String? {
        try await log("CancelKeyDeletion", keyID)
        guard let key = keys[keyID] else { throw notFound() }
        guard key.state == .pendingDeletion else { throw invalidState("Key \(keyID) is not pending deletion.") }
        keys[keyID]?.state = .disabled
        keys[keyID]?.deletionDate = nil
        return try await finish("CancelKeyDeletion", keyID)
    }

    /// The calls that change KMS, in order.
    var mutatingCalls: [String] {
        calls.filter { call in
            ["Connect", "Disconnect", "DeleteCustom", "DisableKey", "EnableKey", "Schedule", "CancelKey"].contains { call.hasPrefix($0) }
        }
    }
}

/// Builds plans and a world to run them in.
struct ExecutorWorld {
    let time = VirtualTime()
    let kms: FakeKMS
    let directory: String
    let planPath: String
    var events = EventLog()

    init() throws {
        kms = FakeKMS(time: time)
        directory = NSTemporaryDirectory() + "executor-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        planPath = directory + "/plan.json"
    }

    func cleanUp() { try? FileManager.default.removeItem(atPath: directory) }

    var clock: FastClock { FastClock(time: time) }

    func applier(approver: (@Sendable (Plan) async -> String?)? = nil) -> Applier {
        let events = self.events
        return Applier(kms: kms, clock: clock, now: { [time] in time.now() }, events: { events.append($0) }, approver: approver)
    }

    func canceller() -> Canceller { Canceller(kms: kms, clock: clock, now: { [time] in time.now() }) }

    /// Seeds a store with keys in the fake KMS and writes a sealed plan for it.
    @discardableResult
    func makePlan(
        storeID: String = "cks-1234567890abcdef0", type: CustomKeyStoreType = .cloudHSM, keyIDs: [String],
        keyStates: [String: KeyState] = [:], options: PlanOptions = PlanOptions(pendingWindowDays: 7), storeState: ConnectionState = .connected
    ) async throws -> Plan {
        await kms.addStore(storeID, type: type, state: storeState)
        var planned: [PlannedKey] = []
        for id in keyIDs {
            let state = keyStates[id] ?? .enabled
            let deletionDate = state == .pendingDeletion ? time.now().addingTimeInterval(3 * 86_400) : nil
            await kms.addKey(id, store: storeID, state: state, deletionDate: deletionDate)
            planned.append(
                PlannedKey(
                    keyID: id, arn: "arn:aws:kms:us-east-1:111122223333:key/\(id)", state: state, creationDate: nil, description: nil,
                    aliases: [], grantCount: 0, tags: [], deletionDate: deletionDate, xksKeyID: nil,
                    usage: UsageEvidence(verdict: .neverUsed, trackingStartDate: nil)))
        }
        let target = PlanTarget(
            accountID: "111122223333", region: "us-east-1", endpoint: "http://127.0.0.1:4599", keyStoreID: storeID,
            keyStoreName: "store", keyStoreType: type, cloudHsmClusterID: type == .cloudHSM ? "cluster-1234567" : nil,
            xksProxy: type == .external
                ? XksProxyTarget(connectivity: "PUBLIC_ENDPOINT", uriEndpoint: "https://xks.example.com", uriPath: "/kms/xks/v1", vpcEndpointServiceName: nil)
                : nil,
            connectionState: storeState)
        let findings = FindingsEvaluator.evaluate(target: target, keys: planned, options: options, now: time.now())
        let steps = StepGraphBuilder.build(target: target, keys: planned, options: options)
        let plan = PlanFingerprint.sealed(
            Plan(
                planID: "plan-\(storeID)", createdAt: time.now(), toolVersion: "test", target: target, options: options, keys: planned,
                findings: findings, steps: steps))
        try PlanFileStore().write(plan, to: planPath)
        return plan
    }

    func readPlan() throws -> Plan { try FileCheckpointStore(planPath: planPath).load() }
}

/// Collects execution events from any task.
final class EventLog: Sendable {
    private let events = Mutex<[ExecutionEvent]>([])
    func append(_ event: ExecutionEvent) { events.withLock { $0.append(event) } }
    var all: [ExecutionEvent] { events.withLock { $0 } }
}

/// Key ids shaped like KMS's.
func keyID(_ n: Int) -> String { String(format: "%08x-1111-2222-3333-%012x", n, n) }
