import Foundation
import KMSAPI
import Testing

/// Runs the client against moto_server with the real transport; enabled only when
/// `KMS_MOTO_ENDPOINT` names a running server (for example `http://127.0.0.1:5555`).
/// Only what moto does as AWS does is asserted (reference section 11): moto ignores `Limit`
/// for ListKeys, so paging is checked by collecting every key, not by page sizes.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["KMS_MOTO_ENDPOINT"] != nil))
struct MotoIntegrationTests {
    private func makeClient() throws -> KMSClient {
        let endpoint = try #require(ProcessInfo.processInfo.environment["KMS_MOTO_ENDPOINT"].flatMap(URL.init(string:)))
        let clock = ContinuousClock()
        return KMSClient(
            configuration: KMSClientConfiguration(region: "us-east-1", endpoint: endpoint),
            credentials: StaticCredentialProvider(Credentials(accessKeyID: "testing", secretAccessKey: "testing")),
            transport: URLSessionTransport(connectTimeout: 5, requestTimeout: 30),
            rateLimiter: RateLimiter(clock: clock), clock: clock, now: { Date() }, random: .system())
    }

    private func createKey(_ client: KMSClient, _ description: String) async throws -> String {
        let metadata = try #require(try await client.createKey(CreateKeyRequest(description: description)).keyMetadata)
        #expect(metadata.keyState == .enabled)
        return metadata.keyID
    }

    @Test func createsAndDescribesKeys() async throws {
        let client = try makeClient()
        let id = try await createKey(client, "describe")
        let metadata = try #require(try await client.describeKey(id).keyMetadata)
        #expect(metadata.keyID == id)
        #expect(metadata.enabled == true)
        #expect(metadata.creationDate != nil)
    }

    @Test func listsEveryKeyAcrossPagesWithASmallLimit() async throws {
        let client = try makeClient()
        var created: Set<String> = []
        for index in 0..<5 { created.insert(try await createKey(client, "list-\(index)")) }
        var listed: Set<String> = []
        for try await key in client.items(ListKeys.self, ListKeysRequest(limit: 2)) {
            if let id = key.keyID { listed.insert(id) }
        }
        #expect(created.isSubset(of: listed))
    }

    @Test func disablesAndEnablesAKey() async throws {
        let client = try makeClient()
        let id = try await createKey(client, "toggle")
        try await client.disableKey(id)
        #expect(try await client.describeKey(id).keyMetadata?.keyState == .disabled)
        try await client.enableKey(id)
        #expect(try await client.describeKey(id).keyMetadata?.keyState == .enabled)
    }

    @Test func schedulesAndCancelsDeletion() async throws {
        let client = try makeClient()
        let id = try await createKey(client, "delete")
        let scheduled = try await client.scheduleKeyDeletion(id, pendingWindowInDays: 7)
        #expect(scheduled.deletionDate != nil)
        #expect(try await client.describeKey(id).keyMetadata?.keyState == .pendingDeletion)
        _ = try await client.cancelKeyDeletion(id)
        #expect(try await client.describeKey(id).keyMetadata?.keyState == .disabled)
    }

    @Test func createsAndListsAliases() async throws {
        let client = try makeClient()
        let id = try await createKey(client, "alias")
        let name = "alias/decommission-test-\(UUID().uuidString.lowercased())"
        try await client.createAlias(name, targetKeyID: id)
        var names: [String] = []
        for try await alias in client.items(ListAliases.self, ListAliasesRequest(keyID: id)) {
            if let aliasName = alias.aliasName { names.append(aliasName) }
        }
        #expect(names.contains(name))
    }

    @Test func tagsAndListsTags() async throws {
        let client = try makeClient()
        let id = try await createKey(client, "tags")
        let tags = [KMSAPI.Tag(tagKey: "team", tagValue: "storage"), KMSAPI.Tag(tagKey: "purpose", tagValue: "test")]
        try await client.tagResource(id, tags: tags)
        var listed: [KMSAPI.Tag] = []
        for try await tag in client.items(ListResourceTags.self, ListResourceTagsRequest(keyID: id, limit: 1)) { listed.append(tag) }
        #expect(Set(listed) == Set(tags))
    }

    @Test func unknownKeyIsKeyNotFoundWithTheAWSName() async throws {
        let client = try makeClient()
        let error = try await #require(throws: KMSError.self) {
            try await client.describeKey("11111111-2222-3333-4444-555555555555")
        }
        #expect(error.code == .keyNotFound)
        #expect(error.awsErrorType == "NotFoundException")
        #expect(error.requestID != nil)
        #expect(client.metrics.counts(for: DescribeKey.name).attempts == 1)
    }
}
