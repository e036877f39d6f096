import Foundation
import KMSAPI
import Synchronization

/// An in-memory KMS answering the planner's read operations, for planner unit tests.
///
/// It records every call, can make keys vanish between ListKeys and DescribeKey, can deny one
/// operation, and can hold back ListKeys pages after the first until a DescribeKey has been served.
// @unchecked is not needed: all state is inside a Mutex.
final class PlannerFakeKMS: HTTPTransport, Sendable {
    struct State {
        var stores: [CustomKeyStoresListEntry] = []
        var keys: [KeyMetadata] = []
        var aliases: [AliasListEntry] = []
        var grants: [String: Int] = [:]
        var tags: [String: [Tag]] = [:]
        var usage: [String: KeyLastUsage] = [:]
        var trackingStart = Date(timeIntervalSince1970: 1_735_689_600)
        var vanishOnDescribe: Set<String> = []
        var denied: Set<String> = []
        var holdLaterPagesUntilDescribe = false
        var calls: [String] = []
        var describesServed = 0
        /// DescribeKey answers served before the second ListKeys page was answered.
        var describesBeforeSecondPage: Int?
        var describesInFlight = 0
        var maxDescribesInFlight = 0
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    let state: Mutex<State>

    init(_ state: State) { self.state = Mutex(state) }

    var calls: [String] { state.withLock { $0.calls } }
    var maxDescribesInFlight: Int { state.withLock { $0.maxDescribesInFlight } }
    var describesBeforeSecondPage: Int? { state.withLock { $0.describesBeforeSecondPage } }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let operation = request.headers["X-Amz-Target"].map { String($0.dropFirst("TrentService.".count)) } ?? ""
        let denied = state.withLock {
            $0.calls.append(operation)
            return $0.denied.contains(operation)
        }
        if denied { return Self.error("AccessDeniedException", "User is not authorized to perform kms:\(operation)") }
        switch operation {
        case "DescribeCustomKeyStores":
            let input = try KMSJSON.decode(DescribeCustomKeyStoresRequest.self, from: request.body)
            let stores = state.withLock { $0.stores }
            if let id = input.customKeyStoreID {
                let match = stores.filter { $0.customKeyStoreID == id }
                if match.isEmpty { return Self.error("CustomKeyStoreNotFoundException", "No store \(id).") }
                return try Self.ok(DescribeCustomKeyStoresResponse(customKeyStores: match, truncated: false))
            }
            return try Self.ok(DescribeCustomKeyStoresResponse(customKeyStores: stores, truncated: false))
        case "ListKeys":
            let input = try KMSJSON.decode(ListKeysRequest.self, from: request.body)
            let start = Int(input.marker ?? "0") ?? 0
            if start > 0 {
                await waitForDescribeIfHeld()
                state.withLock { $0.describesBeforeSecondPage = $0.describesBeforeSecondPage ?? $0.describesServed }
            }
            let keys = state.withLock { $0.keys }
            let end = min(keys.count, start + (input.limit ?? 100))
            let page = keys[start..<end].map { KeyListEntry(keyID: $0.keyID, keyArn: $0.arn) }
            return try Self.ok(ListKeysResponse(keys: page, nextMarker: end < keys.count ? String(end) : nil, truncated: end < keys.count))
        case "DescribeKey":
            let input = try KMSJSON.decode(KeyIDRequest.self, from: request.body)
            state.withLock {
                $0.describesInFlight += 1
                $0.maxDescribesInFlight = max($0.maxDescribesInFlight, $0.describesInFlight)
            }
            await Task.yield()
            let (found, vanished, waiters) = state.withLock { state in
                state.describesInFlight -= 1
                state.describesServed += 1
                let waiters = state.waiters
                state.waiters = []
                return (state.keys.first { $0.keyID == input.keyID }, state.vanishOnDescribe.contains(input.keyID), waiters)
            }
            waiters.forEach { $0.resume() }
            guard let found, !vanished else { return Self.error("NotFoundException", "Key \(input.keyID) does not exist.") }
            return try Self.ok(KeyMetadataResponse(keyMetadata: found))
        case "ListAliases":
            return try Self.ok(ListAliasesResponse(aliases: state.withLock { $0.aliases }, truncated: false))
        case "ListGrants":
            let input = try KMSJSON.decode(ListGrantsRequest.self, from: request.body)
            let count = state.withLock { $0.grants[input.keyID] ?? 0 }
            // Two pages when there are several grants, so paging is exercised.
            let start = Int(input.marker ?? "0") ?? 0
            let end = min(count, start + 1)
            let grants = (start..<end).map { GrantListEntry(keyID: input.keyID, grantID: "g\($0)") }
            return try Self.ok(ListGrantsResponse(grants: grants, nextMarker: end < count ? String(end) : nil, truncated: end < count))
        case "ListResourceTags":
            let input = try KMSJSON.decode(ListResourceTagsRequest.self, from: request.body)
            return try Self.ok(ListResourceTagsResponse(tags: state.withLock { $0.tags[input.keyID] ?? [] }, truncated: false))
        case "GetKeyLastUsage":
            let input = try KMSJSON.decode(KeyIDRequest.self, from: request.body)
            let (key, usage, tracking) = state.withLock { state in
                (state.keys.first { $0.keyID == input.keyID }, state.usage[input.keyID], state.trackingStart)
            }
            guard let key else { return Self.error("NotFoundException", "Key \(input.keyID) does not exist.") }
            return try Self.ok(
                GetKeyLastUsageResponse(keyID: key.keyID, keyLastUsage: usage ?? KeyLastUsage(), trackingStartDate: tracking, keyCreationDate: key.creationDate))
        default:
            return Self.error("UnknownOperationException", "Not served by the fake: \(operation).")
        }
    }

    private func waitForDescribeIfHeld() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumeNow = state.withLock { state in
                if !state.holdLaterPagesUntilDescribe || state.describesServed > 0 { return true }
                state.waiters.append(continuation)
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }

    private static func ok<T: Encodable>(_ value: T) throws -> HTTPResponse {
        HTTPResponse(status: 200, headers: HTTPHeaders([("x-amzn-RequestId", "fake-req")]), body: try KMSJSON.encode(value))
    }

    private static func error(_ type: String, _ message: String) -> HTTPResponse {
        let body = Data("{\"__type\":\"\(type)\",\"message\":\"\(message)\"}".utf8)
        return HTTPResponse(status: 400, headers: HTTPHeaders([("X-Amzn-ErrorType", type)]), body: body)
    }

    /// A client over `transport` with no pacing and a fixed signing time.
    static func client(_ transport: any HTTPTransport, endpoint: URL, rateLimiter: RateLimiter = .unlimited) -> KMSClient {
        KMSClient(
            configuration: KMSClientConfiguration(region: "us-east-1", endpoint: endpoint, maxAttempts: 1),
            credentials: StaticCredentialProvider(Credentials(accessKeyID: "AKIDKMSLOCAL", secretAccessKey: "kms-local-secret")),
            transport: transport, rateLimiter: rateLimiter, clock: ContinuousClock(), now: { Date() }, random: .seeded(1))
    }
}
