import Foundation
import KMSAPI
import KMSLocal

import Decommission

// End-to-end support: an in-process kms-local over real HTTP and SigV4, its call log, plans made
// by the real planner, and a temporary folder for plan files.

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
    public convenience init(seed: SeedFile) throws {
        try self.init(seedData: try SeedFile.makeEncoder().encode(seed), timeScale: Self.timeScale)
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
