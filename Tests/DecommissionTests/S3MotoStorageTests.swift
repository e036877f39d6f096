import Foundation
import KMSAPI
import Synchronization
import TestSupport
import Testing

@testable import Decommission

/// The S3 plan storage against moto_server's S3 (real HTTP and SigV4; gated on KMS_MOTO_ENDPOINT):
/// a plan object written by another writer during a run gets moto's 412, and the run stops
/// with `checkpoint.changed-elsewhere` before any change to KMS.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["KMS_MOTO_ENDPOINT"] != nil))
struct S3MotoStorageTests {
    /// Passes every call to the real store; before its first write of `key`, another writer replaces that object.
    private final class InterferingStore: ObjectStore {
        let base: S3ObjectStore
        let key: String
        let done = Mutex(false)
        init(base: S3ObjectStore, key: String) {
            self.base = base
            self.key = key
        }
        var locationDescription: String { base.locationDescription }
        func get(_ key: String) async throws -> StoredObject? { try await base.get(key) }
        func etag(_ key: String) async throws -> S3ETag? { try await base.etag(key) }
        func put(_ key: String, body: Data, condition: S3WriteCondition) async throws -> S3ETag {
            if key == self.key, !done.withLock({ value in defer { value = true }; return value }), let current = try await base.get(key) {
                var changed = current.body
                changed.append(0x0A)
                _ = try await base.client.putObject(bucket: base.bucket, key: key, body: changed)
            }
            return try await base.put(key, body: body, condition: condition)
        }
        func delete(_ key: String, ifMatch: S3ETag?) async throws { try await base.delete(key, ifMatch: ifMatch) }
        func list(prefix: String) async throws -> [String] { try await base.list(prefix: prefix) }
    }

    private func makeStore() async throws -> S3ObjectStore {
        let endpoint = try #require(ProcessInfo.processInfo.environment["KMS_MOTO_ENDPOINT"].flatMap(URL.init(string:)))
        let clock = ContinuousClock()
        let client = S3Client(
            configuration: S3ClientConfiguration(region: "us-east-1", endpoint: endpoint, addressingStyle: .path),
            credentials: StaticCredentialProvider(Credentials(accessKeyID: "testing", secretAccessKey: "testing")),
            transport: URLSessionTransport(connectTimeout: 5, requestTimeout: 30),
            rateLimiter: RateLimiter(clock: clock), clock: clock, now: { Date() }, random: .system())
        let bucket = try #require(S3BucketName(rawValue: "w13b-store-\(UUID().uuidString.lowercased().prefix(12))"))
        let url = try S3AddressingStyle.path.url(endpoint: endpoint, bucket: bucket, key: "")
        let request = HTTPRequest(method: "PUT", url: url, headers: HTTPHeaders([("x-amz-content-sha256", SHA256.hash(Data()).hexString)]))
        _ = try await client.pipeline.send(AWSCall(operation: "CreateBucket", request: request, isMutating: true)) { _ in 0 }
        return S3ObjectStore(client: client, bucket: bucket, encryption: .s3Managed)
    }

    @Test func aPlanObjectChangedDuringTheRunStopsItWithNoChangeToKMS() async throws {
        let world = try ExecutorWorld()
        defer { world.cleanUp() }
        let plan = try await world.makePlan(keyIDs: [keyID(1), keyID(2)])
        let base = try await makeStore()
        let location = "s3://\(base.bucket.rawValue)/plans/p.json"
        let settings = S3LockSettings(runner: "test", clock: ManualClock(), now: { [time = world.time] in time.now() })
        try await S3PlanStorage(objects: base, lockSettings: settings).writeNewPlan(plan, to: location, force: false)
        let storage = S3PlanStorage(objects: InterferingStore(base: base, key: "plans/p.json"), lockSettings: settings)
        let applier = Applier(kms: world.kms, storage: storage, clock: world.clock, now: { [time = world.time] in time.now() })
        let error = try await #require(throws: DecommissionError.self) {
            _ = try await applier.apply(planPath: location, options: ApplyOptions(approveFingerprint: plan.fingerprint))
        }
        #expect(error.code == .planChangedElsewhere)
        #expect(await world.kms.mutatingCalls.isEmpty)
        // The lock was released, and the other writer's plan object is what is left.
        #expect(try await base.get("plans/p.lock") == nil)
        #expect(try await base.get("plans/p.json")?.body.last == 0x0A)
    }

    @Test func aWholeRunKeepsCheckpointBytesWithinFourPlanSizes() async throws {
        let world = try ExecutorWorld()
        defer { world.cleanUp() }
        let plan = try await world.makePlan(keyIDs: (1...20).map(keyID))
        let base = try await makeStore()
        let location = "s3://\(base.bucket.rawValue)/plans/big.json"
        let settings = S3LockSettings(runner: "test", clock: ManualClock(), now: { [time = world.time] in time.now() })
        let storage = S3PlanStorage(objects: base, lockSettings: settings)
        try await storage.writeNewPlan(plan, to: location, force: false)
        let applier = Applier(kms: world.kms, storage: storage, clock: world.clock, now: { [time = world.time] in time.now() })
        let report = try await applier.apply(planPath: location, options: ApplyOptions(wait: true, approveFingerprint: plan.fingerprint))
        #expect(report.outcome == .done)
        let planSize = try #require(try await base.get("plans/big.json")).body.count
        #expect(Double(report.checkpointBytesWritten) / Double(planSize) <= 4)
        #expect(try await storage.verifyAudit(forPlan: location) == .ok(count: await world.kms.mutatingCalls.count))
        #expect(try await base.list(prefix: "plans/big.journal/").isEmpty)
    }
}
