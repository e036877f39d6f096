import Foundation
import KMSAPI
import KMSLocal

import Decommission

// End-to-end support: an in-process kms-local over real HTTP and SigV4, its call log, plans made
// by the real planner, and a temporary folder for plan files.

/// A seed for kms-local (the subset of SEED-FORMAT.md these tests use).
public struct LocalSeed: Encodable, Sendable {
    public struct Store: Encodable, Sendable {
        public var id: String
        public var name: String
        public var type: String
        public var clusterId: String?
        public var trustAnchorCertificate: String?
        public var xksProxyUriEndpoint: String?
        public var xksProxyUriPath: String?
        public var xksProxyConnectivity: String?
        public var xksProxyAccessKeyId: String?
        public var connectionState: String
    }
    public struct Key: Encodable, Sendable {
        public var id: String
        public var storeId: String?
        public var xksKeyId: String?
        public var state: String
        public var creationDate: Date
        public var deletionDate: Date?
        public var pendingWindowInDays: Int?
    }
    public var seedVersion = 1
    public var accountId = "111122223333"
    public var region = "us-east-1"
    public var trackingStartDate: Date
    public var generatedKeys: Int
    public var stores: [Store]
    public var keys: [Key]
    /// Past CloudTrail events (`cloudtrailEvents`).
    public var cloudtrailEvents: [SeedTrailEvent]?

    /// A CONNECTED CloudHSM store with `keys` (id → state), plus `ordinary` keys outside it.
    /// A pre-pending key is deleted `prePendingIn` seconds after `now`.
    public static func cloudHSM(storeID: String, keys: [(String, KeyState)], ordinary: Int = 3, prePendingIn: TimeInterval = 5, now: Date) -> LocalSeed {
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
    public static func external(storeID: String, keys: [(String, KeyState)], ordinary: Int = 3, now: Date) -> LocalSeed {
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

    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        return try encoder.encode(self)
    }
}

/// One entry of kms-local's call log (`GET /_kms_local/calls`).
public struct LoggedCall: Decodable, Sendable, CustomStringConvertible {
    public var seq: Int
    public var time: String
    public var operation: String
    public var target: String?
    public var outcome: String
    public var errorType: String?

    /// Whether the call reached the model and changed it (answered ok, or dropped after applying).
    public var isApplied: Bool { outcome == "ok" || outcome == "dropped" }
    public var date: Date? { try? Date(time, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) }
    public var description: String { "#\(seq) \(operation) \(target ?? "-") \(outcome)\(errorType.map { " \($0)" } ?? "")" }

    /// Whether the target names `keyID` (kms-local logs the id or ARN as sent).
    public func concerns(_ keyID: String) -> Bool { target.map { $0 == keyID || $0.hasSuffix("/\(keyID)") } ?? false }
}

/// A seeded kms-local in this process, a client and gateway over real HTTP + SigV4, and a folder.
public final class KMSLocalHarness: Sendable {
    /// Seven simulated days pass in about two real seconds.
    public static let timeScale = 86_400.0 * 7 / 2

    public let server: KMSLocalServer
    public let client: KMSClient
    public let gateway: KMSClientGateway
    public let endpoint: URL
    public let directory: String
    public let planPath: String
    private let transport: URLSessionTransport
    /// The time of day of server and clients.
    public let now: @Sendable () -> Date

    /// Starts kms-local seeded with `seed`, seven simulated days to about two real seconds.
    public convenience init(seed: LocalSeed) throws {
        try self.init(seedData: try seed.encoded(), timeScale: Self.timeScale)
    }

    /// Starts kms-local with a seed file's bytes.
    /// - Parameters:
    ///   - timeScale: simulated seconds per real second (1: real time).
    ///   - quotas: the request quotas kms-local enforces.
    ///   - rateLimiter: the client's pacing (`.unlimited`, or the client's own per-operation quotas).
    ///   - now: the time of day of server and client alike (a `VirtualTime` to run on a fast clock).
    ///   - configure: further server settings (credentials, principals, CloudTrail lag).
    public init(
        seedData: Data, timeScale: Double = 1, quotas: QuotaPolicy = .none, rateLimiter: RateLimiter = .unlimited,
        now: @escaping @Sendable () -> Date = { Date() }, configure: (inout KMSLocalConfiguration) -> Void = { _ in }
    ) throws {
        var configuration = KMSLocalConfiguration()
        configuration.port = 0
        configuration.timeScale = timeScale
        configuration.quotas = quotas
        configuration.seedData = seedData
        configure(&configuration)
        self.now = now
        server = KMSLocalServer(configuration: configuration, now: now)
        try server.start()
        endpoint = server.endpoint
        transport = URLSessionTransport(connectTimeout: 5, requestTimeout: 10)
        client = KMSClient(
            configuration: KMSClientConfiguration(region: "us-east-1", endpoint: endpoint, userAgent: "decommission-e2e-tests"),
            credentials: StaticCredentialProvider(
                Credentials(accessKeyID: KMSLocalConfiguration.defaultAccessKeyID, secretAccessKey: KMSLocalConfiguration.defaultSecretAccessKey)),
            transport: transport, rateLimiter: rateLimiter, clock: ContinuousClock(), now: now, random: .seeded(7), observer: nil)
        gateway = KMSClientGateway(client: client)
        directory = NSTemporaryDirectory() + "e2e-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        planPath = directory + "/plan.json"
    }

    public func stop() {
        server.stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    public func applier(events: EventLog = EventLog()) -> Applier {
        Applier(kms: gateway, clock: ContinuousClock(), now: { Date() }, events: { events.append($0) })
    }

    /// A KMS client of another caller (an application), signing with `accessKeyID`.
    public func client(accessKeyID: String, secret: String) -> KMSClient {
        KMSClient(
            configuration: KMSClientConfiguration(region: "us-east-1", endpoint: endpoint, userAgent: "e2e-application"),
            credentials: StaticCredentialProvider(Credentials(accessKeyID: accessKeyID, secretAccessKey: secret)),
            transport: transport, rateLimiter: .unlimited, clock: ContinuousClock(), now: now, random: .seeded(9), observer: nil)
    }

    /// CloudTrail on kms-local's port, signed as the tool, paced by `rateLimiter`.
    public func cloudTrail(rateLimiter: RateLimiter = .unlimited, endpoint override: URL? = nil) -> CloudTrailEvidenceSource {
        let client = CloudTrailClient(
            configuration: KMSClientConfiguration(region: "us-east-1", endpoint: override ?? endpoint, maxAttempts: 2, userAgent: "decommission-e2e-tests"),
            credentials: StaticCredentialProvider(
                Credentials(accessKeyID: KMSLocalConfiguration.defaultAccessKeyID, secretAccessKey: KMSLocalConfiguration.defaultSecretAccessKey)),
            transport: transport, rateLimiter: rateLimiter, clock: ContinuousClock(), now: now, random: .seeded(8), observer: nil)
        return CloudTrailEvidenceSource(
            gateway: CloudTrailClientGateway(client: client), tool: ToolIdentity(accessKeyIDs: [KMSLocalConfiguration.defaultAccessKeyID]))
    }

    public func canceller() -> Canceller { Canceller(kms: gateway, clock: ContinuousClock(), now: { Date() }) }

    /// Returns kms-local's call log after `since`.
    public func calls(since: Int = 0) async throws -> [LoggedCall] {
        struct Page: Decodable { var calls: [LoggedCall] }
        let url = endpoint.appendingPathComponent("_kms_local/calls").appending(queryItems: [URLQueryItem(name: "since", value: String(since))])
        let response = try await transport.send(HTTPRequest(method: "GET", url: url))
        return try JSONDecoder().decode(Page.self, from: response.body).calls
    }

    /// The sequence number of the last logged call.
    public func lastSeq() async throws -> Int { try await calls().last?.seq ?? 0 }

    /// Plans the store with the real `Planner` over real HTTP, as `decommission plan` does, and
    /// writes the sealed plan to `planPath`.
    @discardableResult
    public func makePlan(storeID: String, options: PlanOptions = PlanOptions(pendingWindowDays: 7)) async throws -> Plan {
        let planner = Planner(kms: gateway, now: { Date() }, makeID: { "plan-e2e-\(storeID)" }, toolVersion: "e2e-test")
        let plan = try await planner.makePlan(
            PlanRequest(keyStore: storeID, options: options, region: "us-east-1", endpoint: endpoint.absoluteString))
        try PlanFileStore().write(plan, to: planPath)
        return plan
    }

    /// Reads a key's live state; nil once it is deleted.
    public func keyState(_ keyID: String) async throws -> KeyState? {
        try await gateway.describeKeyIfPresent(keyID)?.keyState
    }

    /// Reads the plan with its journal folded in.
    public func readPlan() throws -> Plan { try FileCheckpointStore(planPath: planPath).load() }
}

/// Key ids shaped like KMS's, distinct per test so failures name the case.
public func e2eKeyID(_ tag: Int, _ n: Int) -> String { String(format: "%08x-e2e0-4000-8000-%012x", tag, n) }
