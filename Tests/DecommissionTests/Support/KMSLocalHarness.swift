import Foundation
import KMSAPI
import KMSLocal

@testable import Decommission

// End-to-end support: an in-process kms-local over real HTTP and SigV4, its call log, a live
// discovery that builds plans the way the planner does, and a temporary folder for plan files.

/// A seed for kms-local (the subset of SEED-FORMAT.md these tests use).
struct LocalSeed: Encodable {
    struct Store: Encodable {
        var id: String
        var name: String
        var type: String
        var clusterId: String?
        var trustAnchorCertificate: String?
        var xksProxyUriEndpoint: String?
        var xksProxyUriPath: String?
        var xksProxyConnectivity: String?
        var xksProxyAccessKeyId: String?
        var connectionState: String
    }
    struct Key: Encodable {
        var id: String
        var storeId: String?
        var xksKeyId: String?
        var state: String
        var creationDate: Date
        var deletionDate: Date?
        var pendingWindowInDays: Int?
    }
    var seedVersion = 1
    var accountId = "111122223333"
    var region = "us-east-1"
    var trackingStartDate: Date
    var generatedKeys: Int
    var stores: [Store]
    var keys: [Key]

    /// A CONNECTED CloudHSM store with `keys` (id → state), plus `ordinary` keys outside it.
    /// A pre-pending key is deleted `prePendingIn` seconds after `now`.
    static func cloudHSM(storeID: String, keys: [(String, KeyState)], ordinary: Int = 3, prePendingIn: TimeInterval = 5, now: Date) -> LocalSeed {
        LocalSeed(
            trackingStartDate: now.addingTimeInterval(-400 * 86_400), generatedKeys: ordinary,
            stores: [
                Store(
                    id: storeID, name: "hsm-\(storeID)", type: "AWS_CLOUDHSM", clusterId: "cluster-1a23b4cdefg",
                    trustAnchorCertificate: "-----BEGIN CERTIFICATE-----test-----END CERTIFICATE-----", connectionState: "CONNECTED")
            ],
            keys: keys.map { makeKey($0.0, state: $0.1, storeID: storeID, xks: false, prePendingIn: prePendingIn, now: now) })
    }

    /// A CONNECTED external key store with `keys` (id → state), plus `ordinary` keys outside it.
    static func external(storeID: String, keys: [(String, KeyState)], ordinary: Int = 3, now: Date) -> LocalSeed {
        LocalSeed(
            trackingStartDate: now.addingTimeInterval(-400 * 86_400), generatedKeys: ordinary,
            stores: [
                Store(
                    id: storeID, name: "xks-\(storeID)", type: "EXTERNAL_KEY_STORE", xksProxyUriEndpoint: "https://xks.example.com",
                    xksProxyUriPath: "/kms/xks/v1", xksProxyConnectivity: "PUBLIC_ENDPOINT", xksProxyAccessKeyId: "ABCDE12345670EXAMPLE",
                    connectionState: "CONNECTED")
            ],
            keys: keys.map { makeKey($0.0, state: $0.1, storeID: storeID, xks: true, prePendingIn: 5, now: now) })
    }

    private static func makeKey(_ id: String, state: KeyState, storeID: String, xks: Bool, prePendingIn: TimeInterval, now: Date) -> Key {
        Key(
            id: id, storeId: storeID, xksKeyId: xks ? "ext-\(id.prefix(8))" : nil, state: state.rawValue,
            creationDate: now.addingTimeInterval(-30 * 86_400),
            deletionDate: state == .pendingDeletion ? now.addingTimeInterval(prePendingIn) : nil, pendingWindowInDays: state == .pendingDeletion ? 7 : nil)
    }

    func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        return try encoder.encode(self)
    }
}

/// One entry of kms-local's call log (`GET /_kms_local/calls`).
struct LoggedCall: Decodable, Sendable, CustomStringConvertible {
    var seq: Int
    var time: String
    var operation: String
    var target: String?
    var outcome: String
    var errorType: String?

    /// Whether the call reached the model and changed it (answered ok, or dropped after applying).
    var isApplied: Bool { outcome == "ok" || outcome == "dropped" }
    var date: Date? { try? Date(time, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) }
    var description: String { "#\(seq) \(operation) \(target ?? "-") \(outcome)\(errorType.map { " \($0)" } ?? "")" }

    /// Whether the target names `keyID` (kms-local logs the id or ARN as sent).
    func concerns(_ keyID: String) -> Bool { target.map { $0 == keyID || $0.hasSuffix("/\(keyID)") } ?? false }
}

/// A seeded kms-local in this process, a client and gateway over real HTTP + SigV4, and a folder.
final class KMSLocalHarness: Sendable {
    /// Seven simulated days pass in about two real seconds.
    static let timeScale = 86_400.0 * 7 / 2

    let server: KMSLocalServer
    let client: KMSClient
    let gateway: KMSClientGateway
    let endpoint: URL
    let directory: String
    let planPath: String
    private let transport: URLSessionTransport

    init(seed: LocalSeed) throws {
        var configuration = KMSLocalConfiguration()
        configuration.port = 0
        configuration.timeScale = Self.timeScale
        configuration.seedData = try seed.encoded()
        server = KMSLocalServer(configuration: configuration, now: { Date() })
        try server.start()
        endpoint = server.endpoint
        transport = URLSessionTransport(connectTimeout: 5, requestTimeout: 10)
        client = KMSClient(
            configuration: KMSClientConfiguration(region: "us-east-1", endpoint: endpoint, userAgent: "decommission-e2e-tests"),
            credentials: StaticCredentialProvider(
                Credentials(accessKeyID: KMSLocalConfiguration.defaultAccessKeyID, secretAccessKey: KMSLocalConfiguration.defaultSecretAccessKey)),
            transport: transport, rateLimiter: .unlimited, clock: ContinuousClock(), now: { Date() }, random: .seeded(7), observer: nil)
        gateway = KMSClientGateway(client: client)
        directory = NSTemporaryDirectory() + "e2e-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        planPath = directory + "/plan.json"
    }

    func stop() {
        server.stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    func applier(events: EventLog = EventLog()) -> Applier {
        Applier(kms: gateway, clock: ContinuousClock(), now: { Date() }, events: { events.append($0) })
    }

    func canceller() -> Canceller { Canceller(kms: gateway, clock: ContinuousClock(), now: { Date() }) }

    /// Returns kms-local's call log after `since`.
    func calls(since: Int = 0) async throws -> [LoggedCall] {
        struct Page: Decodable { var calls: [LoggedCall] }
        let url = endpoint.appendingPathComponent("_kms_local/calls").appending(queryItems: [URLQueryItem(name: "since", value: String(since))])
        let response = try await transport.send(HTTPRequest(method: "GET", url: url))
        return try JSONDecoder().decode(Page.self, from: response.body).calls
    }

    /// The sequence number of the last logged call.
    func lastSeq() async throws -> Int { try await calls().last?.seq ?? 0 }

    /// Plans the store with the real `Planner` over real HTTP, as `decommission plan` does, and
    /// writes the sealed plan to `planPath`.
    @discardableResult
    func makePlan(storeID: String, options: PlanOptions = PlanOptions(pendingWindowDays: 7)) async throws -> Plan {
        let planner = Planner(kms: gateway, now: { Date() }, makeID: { "plan-e2e-\(storeID)" }, toolVersion: "e2e-test")
        let plan = try await planner.makePlan(
            PlanRequest(keyStore: storeID, options: options, region: "us-east-1", endpoint: endpoint.absoluteString))
        try PlanFileStore().write(plan, to: planPath)
        return plan
    }

    /// Reads a key's live state; nil once it is deleted.
    func keyState(_ keyID: String) async throws -> KeyState? {
        try await gateway.describeKeyIfPresent(keyID)?.keyState
    }

    /// Reads the plan with its journal folded in.
    func readPlan() throws -> Plan { try FileCheckpointStore(planPath: planPath).load() }
}

/// Key ids shaped like KMS's, distinct per test so failures name the case.
func e2eKeyID(_ tag: Int, _ n: Int) -> String { String(format: "%08x-e2e0-4000-8000-%012x", tag, n) }
