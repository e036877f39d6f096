import Decommission
import Foundation
import KMSAPI
import KMSLocal
import Testing

@testable import decommission_cli

/// The CLI with plans in S3: moto_server's S3 (real HTTP, real SigV4; gated on KMS_MOTO_ENDPOINT)
/// and an in-process kms-local. Each test uses its own bucket.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["KMS_MOTO_ENDPOINT"] != nil))
struct S3EndToEndTests {
    static var motoEndpoint: String { ProcessInfo.processInfo.environment["KMS_MOTO_ENDPOINT"] ?? "" }

    static func s3Client() throws -> S3Client {
        let endpoint = try #require(URL(string: motoEndpoint))
        let clock = ContinuousClock()
        return S3Client(
            configuration: S3ClientConfiguration(region: "us-east-1", endpoint: endpoint, addressingStyle: .path),
            credentials: StaticCredentialProvider(Credentials(accessKeyID: "testing", secretAccessKey: "testing")),
            transport: URLSessionTransport(connectTimeout: 5, requestTimeout: 30),
            rateLimiter: RateLimiter(clock: clock), clock: clock, now: { Date() }, random: .system())
    }

    /// Creates a fresh bucket (the tool never creates buckets).
    static func makeBucket() async throws -> S3BucketName {
        let client = try s3Client()
        let bucket = try #require(S3BucketName(rawValue: "w13b-\(UUID().uuidString.lowercased().prefix(18))"))
        let url = try S3AddressingStyle.path.url(endpoint: client.configuration.endpoint, bucket: bucket, key: "")
        let request = HTTPRequest(
            method: "PUT", url: url, headers: HTTPHeaders([("x-amz-content-sha256", SHA256.hash(Data()).hexString)]))
        _ = try await client.pipeline.send(AWSCall(operation: "CreateBucket", request: request, isMutating: true)) { _ in 0 }
        return bucket
    }

    /// kms-local's credentials for KMS; moto accepts any for S3, reached through AWS_ENDPOINT_URL_S3.
    static func run(_ arguments: [String], endpoint: String, directory: String) async -> CLIRun {
        var environment = CLIHarness.credentialsEnvironment
        environment["AWS_ENDPOINT_URL_S3"] = motoEndpoint
        return await CLIHarness.run(arguments + ["--endpoint-url", endpoint], environment: environment, directory: directory)
    }

    @Test func plansToS3AppliesResumesListsThePrefixAndCancels() async throws {
        let bucket = try await Self.makeBucket()
        let location = "s3://\(bucket.rawValue)/prod/\(DemoSeed.storeID).json"
        try await EndToEndTests.withServer { endpoint, directory in
            let planned = await Self.run(
                ["plan", "--key-store", DemoSeed.storeName, "--pending-window-days", "7", "--accept", "key-recently-used",
                 "--out", location, "--s3-sse", "AES256", "--output", "json"], endpoint: endpoint, directory: directory)
            #expect(planned.status == 0, "\(planned.stderr)")
            let fingerprint = try #require(try EndToEndTests.decode(planned.stdout).fingerprint)
            #expect(try EndToEndTests.decode(planned.stdout).planFile == location)
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
            let object = try await Self.s3Client().headObject(bucket: bucket, key: "prod/\(DemoSeed.storeID).json")
            #expect(object.serverSideEncryption == "AES256")

            let applied = await Self.run(
                ["apply", location, "--approve", String(fingerprint.prefix(12)), "--output", "json"], endpoint: endpoint, directory: directory)
            #expect(applied.status == 75, "\(applied.stderr)")
            #expect((try EndToEndTests.decode(applied.stdout).stepsRun ?? 0) > 0)

            // A fresh working folder resumes from S3 alone.
            await CLIHarness.withTemporaryDirectory { fresh in
                let resumed = await Self.run(["apply", location, "--resume"], endpoint: endpoint, directory: fresh)
                #expect(resumed.status == 75, "\(resumed.stderr)")
                #expect(((try? FileManager.default.contentsOfDirectory(atPath: fresh)) ?? ["unreadable"]).isEmpty)
            }

            let status = await Self.run(["status", location, "--output", "json"], endpoint: endpoint, directory: directory)
            #expect(status.status == 0, "\(status.stderr)")
            #expect(try EndToEndTests.decode(status.stdout).phase == "waiting-for-deletion")
            let text = await Self.run(["status", location], endpoint: endpoint, directory: directory)
            #expect(text.stdout.contains("hash chain intact"))

            let prefix = await Self.run(["status", "s3://\(bucket.rawValue)/prod/"], endpoint: endpoint, directory: directory)
            #expect(prefix.status == 0, "\(prefix.stderr)")
            #expect(prefix.stdout.contains("\(DemoSeed.storeID).json") && prefix.stdout.contains("waiting-for-deletion"))
            #expect(prefix.stdout.components(separatedBy: "\n").filter { $0.contains(".json") }.count == 1)

            let graph = await Self.run(["graph", location, "--format", "mermaid"], endpoint: endpoint, directory: directory)
            #expect(graph.stdout.hasPrefix("flowchart TD"))

            let cancelled = await Self.run(["cancel", location], endpoint: endpoint, directory: directory)
            #expect(cancelled.status == 0, "\(cancelled.stderr)")
            let refused = await Self.run(["apply", location, "--resume"], endpoint: endpoint, directory: directory)
            #expect(refused.status == 3)
            #expect(refused.stderr.contains("(apply.cancelled)"))
            let audit = await Self.run(["status", location, "--output", "json"], endpoint: endpoint, directory: directory)
            #expect(audit.stdout.contains("\"auditChainIntact\":true"))
        }
    }

    @Test func aLiveLockObjectIsRefusedNamingItsHolder() async throws {
        let bucket = try await Self.makeBucket()
        let key = "p/\(DemoSeed.storeID).json"
        let location = "s3://\(bucket.rawValue)/\(key)"
        try await EndToEndTests.withServer { endpoint, directory in
            let planned = await Self.run(
                ["plan", "--key-store", DemoSeed.storeName, "--accept", "key-recently-used", "--out", location, "--output", "json"],
                endpoint: endpoint, directory: directory)
            let fingerprint = try #require(try EndToEndTests.decode(planned.stdout).fingerprint)
            let holder = LockHolder(host: "runner-b", pid: 42, since: Date(), runner: "gha-9", leaseExpiresAt: Date().addingTimeInterval(600))
            _ = try await Self.s3Client().putObject(
                bucket: bucket, key: S3PlanKeys(plan: key).lock, body: try JSONCoding.makeCompactEncoder().encode(holder), condition: .objectAbsent)
            let applied = await Self.run(["apply", location, "--approve", String(fingerprint.prefix(12))], endpoint: endpoint, directory: directory)
            #expect(applied.status == 3)
            #expect(applied.stderr.contains("host runner-b, pid 42, runner gha-9"))
            #expect(applied.stderr.contains("(apply.lock-held)"))
        }
    }

    @Test func aMissingBucketIsOneLineWithItsS3Code() async throws {
        try await EndToEndTests.withServer { endpoint, directory in
            let location = "s3://w13b-no-such-\(UUID().uuidString.lowercased().prefix(12))/p.json"
            let planned = await Self.run(["plan", "--key-store", DemoSeed.storeName, "--out", location], endpoint: endpoint, directory: directory)
            #expect(planned.status == 2)
            #expect(planned.stderr.contains("(s3.no-such-bucket)"))
            #expect(planned.stderr.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").count == 1)
            let status = await Self.run(["status", location], endpoint: endpoint, directory: directory)
            #expect(status.status == 2)
            #expect(status.stderr.contains("(s3.no-such-bucket)"))
        }
    }
}
