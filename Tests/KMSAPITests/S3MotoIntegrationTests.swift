import Foundation
import KMSAPI
import Testing

/// Runs the S3 client against moto_server with the real transport and real SigV4; enabled only
/// when `KMS_MOTO_ENDPOINT` names a running server (one moto serves KMS and S3 on one port).
/// Each test uses its own bucket, so they run in parallel.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["KMS_MOTO_ENDPOINT"] != nil))
struct S3MotoIntegrationTests {
    private func makeClient() throws -> S3Client {
        let endpoint = try #require(ProcessInfo.processInfo.environment["KMS_MOTO_ENDPOINT"].flatMap(URL.init(string:)))
        let clock = ContinuousClock()
        return S3Client(
            configuration: S3ClientConfiguration(region: "us-east-1", endpoint: endpoint, addressingStyle: .path),
            credentials: StaticCredentialProvider(Credentials(accessKeyID: "testing", secretAccessKey: "testing")),
            transport: URLSessionTransport(connectTimeout: 5, requestTimeout: 30),
            rateLimiter: RateLimiter(clock: clock), clock: clock, now: { Date() }, random: .system())
    }

    /// Creates a fresh bucket (CreateBucket is not part of the client: the tool never creates buckets).
    private func makeBucket(_ client: S3Client) async throws -> S3BucketName {
        let bucket = try S3ClientFactory.bucket("w13-\(UUID().uuidString.lowercased().prefix(18))")
        let url = try S3AddressingStyle.path.url(endpoint: client.configuration.endpoint, bucket: bucket, key: "")
        let request = HTTPRequest(
            method: "PUT", url: url, headers: HTTPHeaders([("x-amz-content-sha256", SHA256.hash(Data()).hexString)]))
        _ = try await client.pipeline.send(AWSCall(operation: "CreateBucket", request: request, isMutating: true)) { _ in 0 }
        return bucket
    }

    @Test func putsGetsHeadsListsAndDeletes() async throws {
        let client = try makeClient()
        let bucket = try await makeBucket(client)
        let key = "plans/a b+c/ü%1.json"
        let body = Data(#"{"schemaVersion":1}"#.utf8)
        let put = try await client.putObject(bucket: bucket, key: key, body: body, contentType: "application/json")
        let etag = try #require(put.etag)
        let object = try await client.getObject(bucket: bucket, key: key)
        #expect(object.body == body)
        #expect(object.etag == etag)
        let head = try await client.headObject(bucket: bucket, key: key)
        #expect(head.etag == etag)
        #expect(head.contentLength == body.count)
        #expect(head.contentType == "application/json")
        #expect(head.lastModified != nil)
        let listed = try await client.listObjects(bucket: bucket, prefix: "plans/")
        #expect(listed.map(\.key) == [key])
        #expect(listed.first?.etag == etag)
        _ = try await client.deleteObject(bucket: bucket, key: key)
        let error = await #expect(throws: KMSError.self) { _ = try await client.getObject(bucket: bucket, key: key) }
        #expect(error?.code == .s3NoSuchKey)
        let head404 = await #expect(throws: KMSError.self) { _ = try await client.headObject(bucket: bucket, key: key) }
        #expect(head404?.code == .s3NotFound)
    }

    /// A plan is tens of kilobytes: big enough for libcurl to send `Expect: 100-continue`.
    @Test func roundTripsAPlanSizedBody() async throws {
        let client = try makeClient()
        let bucket = try await makeBucket(client)
        let body = Data((0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        let etag = try #require(try await client.putObject(bucket: bucket, key: "big.json", body: body).etag)
        let object = try await client.getObject(bucket: bucket, key: "big.json")
        #expect(object.body == body)
        #expect(object.etag == etag)
        _ = try await client.putObject(bucket: bucket, key: "big.json", body: body + body, condition: .etagMatches(etag))
        #expect(try await client.headObject(bucket: bucket, key: "big.json").contentLength == 2 * body.count)
    }

    @Test func listsEveryPage() async throws {
        let client = try makeClient()
        let bucket = try await makeBucket(client)
        let keys = (0..<7).map { "runs/r\($0).json" }
        for key in keys { _ = try await client.putObject(bucket: bucket, key: key, body: Data(key.utf8)) }
        _ = try await client.putObject(bucket: bucket, key: "other/x.json", body: Data())
        let first = try await client.listObjectsPage(bucket: bucket, prefix: "runs/", maxKeys: 3)
        #expect(first.objects.count == 3)
        #expect(first.nextContinuationToken != nil)
        let all = try await client.listObjects(bucket: bucket, prefix: "runs/", pageSize: 3)
        #expect(all.map(\.key) == keys)
    }

    @Test func createsOnlyOnceWithIfNoneMatch() async throws {
        let client = try makeClient()
        let bucket = try await makeBucket(client)
        let first = try await client.putObject(bucket: bucket, key: "p.lock", body: Data("one".utf8), condition: .objectAbsent)
        #expect(first.etag != nil)
        let error = await #expect(throws: KMSError.self) {
            _ = try await client.putObject(bucket: bucket, key: "p.lock", body: Data("two".utf8), condition: .objectAbsent)
        }
        #expect(error?.code == .s3PreconditionFailed)
        #expect(error?.awsErrorType == "PreconditionFailed")
        #expect(try await client.getObject(bucket: bucket, key: "p.lock").body == Data("one".utf8))
    }

    /// Racing creators: exactly one wins, every other gets the precondition code (moto checks and
    /// stores under one request, as S3 does; 30 rounds of 8 racers from boto3 never saw two winners).
    @Test func letsOneOfFourRacingCreatorsWin() async throws {
        let client = try makeClient()
        let bucket = try await makeBucket(client)
        let outcomes = await withTaskGroup(of: KMSError.Code?.self) { group in
            for index in 0..<4 {
                group.addTask {
                    do {
                        _ = try await client.putObject(
                            bucket: bucket, key: "race.lock", body: Data("runner-\(index)".utf8), condition: .objectAbsent)
                        return nil
                    } catch {
                        return (error as? KMSError)?.code ?? .transportFailed
                    }
                }
            }
            var codes: [KMSError.Code?] = []
            for await code in group { codes.append(code) }
            return codes
        }
        #expect(outcomes.filter { $0 == nil }.count == 1)
        #expect(outcomes.compactMap { $0 }.allSatisfy { $0 == .s3PreconditionFailed || $0 == .s3ConditionalRequestConflict })
    }

    @Test func replacesOnlyTheVersionReadWithIfMatch() async throws {
        let client = try makeClient()
        let bucket = try await makeBucket(client)
        let stale = try #require(try await client.putObject(bucket: bucket, key: "p.json", body: Data("v1".utf8)).etag)
        let current = try #require(
            try await client.putObject(bucket: bucket, key: "p.json", body: Data("v2".utf8), condition: .etagMatches(stale)).etag)
        #expect(current != stale)
        let error = await #expect(throws: KMSError.self) {
            _ = try await client.putObject(bucket: bucket, key: "p.json", body: Data("v3".utf8), condition: .etagMatches(stale))
        }
        #expect(error?.code == .s3PreconditionFailed)
        let staleDelete = await #expect(throws: KMSError.self) {
            _ = try await client.deleteObject(bucket: bucket, key: "p.json", ifMatch: stale)
        }
        #expect(staleDelete?.code == .s3PreconditionFailed)
        #expect(try await client.getObject(bucket: bucket, key: "p.json").body == Data("v2".utf8))
        _ = try await client.deleteObject(bucket: bucket, key: "p.json", ifMatch: current)
        let gone = await #expect(throws: KMSError.self) { _ = try await client.headObject(bucket: bucket, key: "p.json") }
        #expect(gone?.code == .s3NotFound)
    }

    @Test func storesWithSSEKMS() async throws {
        let client = try makeClient()
        let bucket = try await makeBucket(client)
        _ = try await client.putObject(bucket: bucket, key: "p.json", body: Data("{}".utf8), encryption: .kms(keyID: nil))
        #expect(try await client.headObject(bucket: bucket, key: "p.json").serverSideEncryption == "aws:kms")
    }

    @Test func namesAMissingBucket() async throws {
        let client = try makeClient()
        let bucket = try S3ClientFactory.bucket("w13-missing-\(UUID().uuidString.lowercased().prefix(12))")
        let error = await #expect(throws: KMSError.self) { _ = try await client.getObject(bucket: bucket, key: "p.json") }
        #expect(error?.code == .s3NoSuchBucket)
        #expect(error?.awsErrorType == "NoSuchBucket")
        let put = await #expect(throws: KMSError.self) {
            _ = try await client.putObject(bucket: bucket, key: "p.json", body: Data(), condition: .objectAbsent)
        }
        #expect(put?.code == .s3NoSuchBucket)
    }
}
