import Foundation
import KMSAPI
import KMSLocal
import TestSupport
import Testing

@testable import Decommission

/// The planner against an in-process kms-local (port 0) seeded with several stores.
struct PlannerIntegrationTests {
    static let hsm = "cks-aaaa000000000000a"
    static let otherHsm = "cks-bbbb000000000000b"
    static let disconnectedHsm = "cks-cccc000000000000c"
    static let failedHsm = "cks-dddd000000000000d"
    static let xks = "cks-eeee000000000000e"
    static let usedKey = "a1000000-0000-4000-8000-000000000001"
    static let oldKey = "a2000000-0000-4000-8000-000000000002"
    static let grantedKey = "a3000000-0000-4000-8000-000000000003"
    static let pendingKey = "a4000000-0000-4000-8000-000000000004"

    /// The seed, with dates relative to `now` (kms-local reports real wall-clock times).
    static func seed(now: Date, generatedKeys: Int = 40) throws -> Data {
        func day(_ days: Double) -> Date { now.addingTimeInterval(days * 86_400) }
        func hsmStore(_ id: String, _ name: String, cluster: String, state: ConnectionState, created: Date? = nil) -> SeedStore {
            SeedStore(
                id: id, name: name, type: CustomKeyStoreType.cloudHSM.rawValue, clusterID: cluster, connectionState: state.rawValue,
                connectionErrorCode: state == .failed ? "NETWORK_ERRORS" : nil, creationDate: created)
        }
        let seed = SeedFile(
            accountID: "111122223333", region: "us-east-1", trackingStartDate: day(-60),
            stores: [
                hsmStore(hsm, "prod-hsm", cluster: "cluster-1a23b4cdefg", state: .connected, created: day(-400)),
                hsmStore(otherHsm, "other-hsm", cluster: "cluster-9z8y7x6w5v4", state: .connected),
                hsmStore(disconnectedHsm, "idle-hsm", cluster: "cluster-5e6f7g8h9i0", state: .disconnected),
                hsmStore(failedHsm, "broken-hsm", cluster: "cluster-0j1k2l3m4n5", state: .failed),
                SeedStore(
                    id: xks, name: "ext-store", type: CustomKeyStoreType.external.rawValue,
                    xksProxyUriEndpoint: "https://proxy.example.com", xksProxyUriPath: "/kms/xks/v1",
                    xksProxyConnectivity: "PUBLIC_ENDPOINT", xksProxyAccessKeyID: "ABCDE12345670EXAMPLE",
                    connectionState: ConnectionState.connected.rawValue),
            ],
            keys: [
                SeedKey(
                    id: usedKey, storeID: hsm, description: "orders", creationDate: day(-30),
                    lastUsage: SeedUsage(operation: "Encrypt", timestamp: day(-2), requestID: "req-used-1")),
                SeedKey(
                    id: oldKey, storeID: hsm, state: KeyState.disabled.rawValue, creationDate: day(-200),
                    tags: [SeedTag(key: "team", value: "payments")]),
                SeedKey(
                    id: grantedKey, storeID: hsm, state: KeyState.disabled.rawValue, creationDate: day(-10),
                    aliases: ["alias/reports", "alias/archive"],
                    grants: [
                        SeedGrant(granteePrincipal: "arn:aws:iam::111122223333:role/app", operations: ["Decrypt"]),
                        SeedGrant(granteePrincipal: "arn:aws:iam::111122223333:role/etl", operations: ["Encrypt"]),
                    ]),
                SeedKey(
                    id: pendingKey, storeID: hsm, state: KeyState.pendingDeletion.rawValue, creationDate: day(-20),
                    deletionDate: day(5), pendingWindowInDays: 7),
                SeedKey(id: "b1000000-0000-4000-8000-000000000001", storeID: otherHsm, aliases: ["alias/other"]),
                SeedKey(id: "c1000000-0000-4000-8000-000000000001", storeID: disconnectedHsm, creationDate: day(-5)),
                SeedKey(id: "d1000000-0000-4000-8000-000000000001", storeID: failedHsm, creationDate: day(-5)),
                SeedKey(
                    id: "e1000000-0000-4000-8000-000000000001", storeID: xks, state: KeyState.disabled.rawValue,
                    creationDate: day(-5), xksKeyID: "ext-key-1"),
                SeedKey(id: "f1000000-0000-4000-8000-000000000001", creationDate: day(-5), aliases: ["alias/ordinary"]),
            ],
            generatedKeys: generatedKeys)
        return try SeedFile.makeEncoder().encode(seed)
    }

    /// Runs `body` against a fresh kms-local on a free port (the one in-process harness), the
    /// client paced by its own per-operation quotas as in production.
    static func withKMSLocal<T>(
        generatedKeys: Int = 40, quotas: QuotaPolicy = .none, _ body: (KMSLocalServer, KMSClient) async throws -> T
    ) async throws -> T {
        let harness = try KMSLocalHarness(
            seedData: try seed(now: Date(), generatedKeys: generatedKeys), quotas: quotas, rateLimiter: RateLimiter(clock: ContinuousClock()))
        defer { harness.stop() }
        return try await body(harness.server, harness.client)
    }

    static func plan(_ client: KMSClient, _ server: KMSLocalServer, store: String, options: PlanOptions = PlanOptions()) async throws -> Plan {
        let planner = Planner(kms: KMSClientGateway(client: client), now: { Date() }, makeID: { UUID().uuidString.lowercased() }, toolVersion: "0.1.0")
        return try await planner.makePlan(
            PlanRequest(keyStore: store, options: options, region: "us-east-1", endpoint: server.endpoint.absoluteString))
    }

    /// Writes the plan as the CLI would and copies it to the CI artifacts folder when asked.
    static func writeAndExport(_ plan: Plan, name: String) throws {
        try PlannerFixtures.withTemporaryDirectory { dir in
            let path = PlanWriter.defaultPath(for: plan.target.keyStoreID, directory: dir + "/plans")
            try PlanWriter().write(plan, to: path)
            #expect(try PlanFileStore().read(path) == plan)
            PlannerFixtures.exportArtifact(path, name: "integration-\(name)")
        }
    }

    struct CallPage: Decodable {
        struct Call: Decodable {
            var operation: String
            var errorType: String?
        }
        var calls: [Call]
    }

    static func calls(_ server: KMSLocalServer) async throws -> [CallPage.Call] {
        let url = server.endpoint.appendingPathComponent("_kms_local/calls")
        let response = try await URLSessionTransport().send(HTTPRequest(method: "GET", url: url))
        #expect(response.status == 200)
        return try JSONDecoder().decode(CallPage.self, from: response.body).calls
    }

    static func calledOperations(_ server: KMSLocalServer) async throws -> [String] {
        try await calls(server).map(\.operation)
    }

    // MARK: - Tests

    @Test func planHoldsExactlyTheStoresKeysAndCallsNothingMutating() async throws {
        try await Self.withKMSLocal { server, client in
            let plan = try await Self.plan(client, server, store: Self.hsm)
            #expect(plan.keys.map(\.keyID) == [Self.usedKey, Self.oldKey, Self.grantedKey, Self.pendingKey])
            #expect(plan.target.accountID == "111122223333")
            #expect(plan.target.cloudHsmClusterID == "cluster-1a23b4cdefg")
            #expect(plan.target.connectionState == "CONNECTED")

            let keys = Dictionary(uniqueKeysWithValues: plan.keys.map { ($0.keyID, $0) })
            #expect(keys[Self.usedKey]?.usage.verdict == .used)
            #expect(keys[Self.usedKey]?.usage.operation == "Encrypt")
            #expect(keys[Self.oldKey]?.usage.verdict == .unknownBeforeTracking)
            #expect(keys[Self.oldKey]?.tags == [PlanTag(key: "team", value: "payments")])
            #expect(keys[Self.grantedKey]?.usage.verdict == .neverUsed)
            #expect(keys[Self.grantedKey]?.grantCount == 2)
            #expect(keys[Self.grantedKey]?.aliases == ["alias/archive", "alias/reports"])
            #expect(keys[Self.pendingKey]?.deletionDate != nil)

            let findings = plan.findings
            #expect(plan.blocked)
            #expect(findings.contains { $0.code == .keyRecentlyUsed && $0.keyID == Self.usedKey && $0.severity == .block })
            #expect(findings.contains { $0.code == .usageUnknownBeforeTracking && $0.keyID == Self.oldKey && $0.severity == .warn })
            #expect(findings.contains { $0.code == .keyHasGrants && $0.keyID == Self.grantedKey })
            #expect(findings.contains { $0.code == .keyHasAliases && $0.keyID == Self.grantedKey })
            #expect(findings.contains { $0.code == .keyAlreadyPendingDeletion && $0.keyID == Self.pendingKey })
            #expect(findings.contains { $0.code == .hsmResidue })
            #expect(!plan.steps.contains { $0.action == .scheduleDeletion && $0.keyID == Self.pendingKey })
            #expect(PlanFingerprint.verify(plan))

            let calls = try await Self.calledOperations(server)
            #expect(!calls.isEmpty)
            let mutating = calls.filter { OperationName(rawValue: $0).isMutating }
            #expect(mutating.isEmpty, "planning called \(mutating)")
            #expect(calls.filter { $0 == "ListAliases" }.count == 1)
            #expect(calls.filter { $0 == "GetKeyLastUsage" }.count == 4)
            try Self.writeAndExport(plan, name: "cloudhsm-blocked")
        }
    }

    @Test func acceptWaivesTheRecentUse() async throws {
        try await Self.withKMSLocal { server, client in
            let plan = try await Self.plan(
                client, server, store: "prod-hsm", options: PlanOptions(accepted: ["key-recently-used:\(Self.usedKey)"]))
            #expect(!plan.blocked)
            #expect(plan.findings.first { $0.code == .keyRecentlyUsed }?.waived == true)
            try Self.writeAndExport(plan, name: "cloudhsm-waived")
        }
    }

    @Test func disconnectedCloudHSMStoreWithAndWithoutConnect() async throws {
        try await Self.withKMSLocal { server, client in
            let without = try await Self.plan(client, server, store: Self.disconnectedHsm)
            #expect(without.keys.map(\.keyID) == ["c1000000-0000-4000-8000-000000000001"])
            #expect(without.findings.first { $0.code == .storeNotConnected }?.severity == .warn)
            #expect(!without.steps.contains { $0.action == .connectStore })

            let with = try await Self.plan(client, server, store: Self.disconnectedHsm, options: PlanOptions(connect: true))
            #expect(with.findings.first { $0.code == .storeNotConnected }?.severity == .info)
            #expect(with.steps.map(\.action).prefix(3) == [.verifyStore, .connectStore, .awaitStoreConnected])
            try Self.writeAndExport(without, name: "cloudhsm-disconnected")
            try Self.writeAndExport(with, name: "cloudhsm-connect")
        }
    }

    @Test func failedStoreBlocks() async throws {
        try await Self.withKMSLocal { server, client in
            let plan = try await Self.plan(client, server, store: "broken-hsm")
            #expect(plan.target.connectionState == "FAILED")
            #expect(plan.target.connectionErrorCode == "NETWORK_ERRORS")
            #expect(plan.blocked)
            #expect(plan.findings.contains { $0.code == .storeFailed && $0.severity == .block })
            try Self.writeAndExport(plan, name: "cloudhsm-failed")
        }
    }

    @Test func externalKeyStore() async throws {
        try await Self.withKMSLocal { server, client in
            let plan = try await Self.plan(client, server, store: Self.xks, options: PlanOptions(pendingWindowDays: 7))
            #expect(plan.target.keyStoreType == "EXTERNAL_KEY_STORE")
            #expect(plan.target.xksProxy?.uriEndpoint == "https://proxy.example.com")
            #expect(plan.keys.map(\.xksKeyID) == ["ext-key-1"])
            #expect(plan.findings.contains { $0.code == .xksResidue && $0.message.contains("ext-key-1") })
            #expect(!plan.findings.contains { $0.code == .hsmResidue })
            try Self.writeAndExport(plan, name: "xks")
        }
    }

    // kms-local enforces AWS's default per-operation quotas here; the client's pacing must keep
    // every call under them (GetKeyLastUsage at 5/s included) while scanning thousands of keys.
    @Test func scanUnderAWSQuotasMeetsNoThrottling() async throws {
        try await Self.withKMSLocal(generatedKeys: 3_000, quotas: .aws(multiplier: 1)) { server, client in
            let plan = try await Self.plan(client, server, store: Self.hsm)
            #expect(plan.keys.count == 4)
            let calls = try await Self.calls(server)
            #expect(calls.filter { $0.operation == "DescribeKey" }.count == 3_009)
            let throttled = calls.filter { $0.errorType == "ThrottlingException" }
            #expect(throttled.isEmpty, "\(throttled.count) calls were throttled")
            #expect(client.metrics.snapshot().values.allSatisfy { $0.throttles == 0 })
        }
    }

    @Test func unknownStoreIsNotFound() async throws {
        try await Self.withKMSLocal { server, client in
            for store in ["cks-0000000000000000f", "no-such-store"] {
                let error = try await #require(throws: DecommissionError.self) { try await Self.plan(client, server, store: store) }
                #expect(error.code == .storeNotFound)
            }
        }
    }
}
