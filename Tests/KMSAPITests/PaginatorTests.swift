import Foundation
import KMSAPI
import Testing

struct PaginatorTests {
    private func keysPage(_ ids: [String], next: String?, truncated: Bool) -> HTTPResponse {
        let keys = ids.map { #"{"KeyId":"\#($0)"}"# }.joined(separator: ",")
        var body = #"{"Keys":[\#(keys)],"Truncated":\#(truncated)"#
        if let next { body += #","NextMarker":"\#(next)""# }
        return ScriptedTransport.ok(body + "}")
    }

    private func markers(_ transport: ScriptedTransport) throws -> [String?] {
        try transport.requests.map { try KMSJSON.decode(ListKeysRequest.self, from: $0.body).marker }
    }

    @Test func followsTruncatedAcrossShortAndEmptyPages() async throws {
        let transport = ScriptedTransport([
            .success(keysPage(["a", "b"], next: "m1", truncated: true)),
            .success(keysPage([], next: "m2", truncated: true)),
            .success(keysPage(["c"], next: "m3", truncated: true)),
            .success(keysPage(["d"], next: nil, truncated: false)),
        ])
        let client = KMSClientFactory.makeClient(transport: transport)
        var ids: [String] = []
        for try await key in client.items(ListKeys.self, ListKeysRequest(limit: 2)) { ids.append(key.keyID ?? "") }
        #expect(ids == ["a", "b", "c", "d"])
        #expect(try markers(transport) == [nil, "m1", "m2", "m3"])
        #expect(try transport.requests.allSatisfy { try KMSJSON.decode(ListKeysRequest.self, from: $0.body).limit == 2 })
    }

    @Test func stopsWhenNotTruncatedEvenWithAMarkerOrNull() async throws {
        // moto answers `"NextMarker": null` with `"Truncated": false`; a stray marker is ignored too.
        let transport = ScriptedTransport([.success(ScriptedTransport.ok(#"{"Keys":[{"KeyId":"a"}],"NextMarker":null,"Truncated":false}"#))])
        let client = KMSClientFactory.makeClient(transport: transport)
        var pages = 0
        for try await _ in client.pages(ListKeys.self, ListKeysRequest()) { pages += 1 }
        #expect(pages == 1)
        let stray = ScriptedTransport([.success(keysPage(["a"], next: "m1", truncated: false))])
        var count = 0
        for try await _ in KMSClientFactory.makeClient(transport: stray).pages(ListKeys.self, ListKeysRequest()) { count += 1 }
        #expect(count == 1)
        #expect(stray.requests.count == 1)
    }

    @Test func failsWhenTruncatedWithoutAMarker() async throws {
        let transport = ScriptedTransport([.success(keysPage(["a"], next: nil, truncated: true))])
        let client = KMSClientFactory.makeClient(transport: transport)
        let error = try await #require(throws: KMSError.self) {
            for try await _ in client.items(ListKeys.self, ListKeysRequest()) {}
        }
        #expect(error.code == .invalidResponse)
    }

    @Test func failsOnARepeatedMarkerInsteadOfLooping() async throws {
        let transport = ScriptedTransport { _, index in
            self.keysPage(["k\(index)"], next: index == 0 ? "m1" : (index == 1 ? "m2" : "m1"), truncated: true)
        }
        let client = KMSClientFactory.makeClient(transport: transport)
        var seen: [String] = []
        let error = try await #require(throws: KMSError.self) {
            for try await key in client.items(ListKeys.self, ListKeysRequest()) { seen.append(key.keyID ?? "") }
        }
        #expect(error.code == .invalidResponse)
        #expect(seen == ["k0", "k1"])
        #expect(transport.requests.count == 3)
    }

    @Test func pagesOtherListingsWithTheirOwnMarkers() async throws {
        let transport = ScriptedTransport { request, index in
            switch request.headers["X-Amz-Target"] {
            case "TrentService.ListAliases":
                return index == 0
                    ? ScriptedTransport.ok(#"{"Aliases":[{"AliasName":"alias/a"}],"NextMarker":"x","Truncated":true}"#)
                    : ScriptedTransport.ok(#"{"Aliases":[{"AliasName":"alias/b"}],"Truncated":false}"#)
            case "TrentService.DescribeCustomKeyStores":
                return ScriptedTransport.ok(#"{"CustomKeyStores":[{"CustomKeyStoreId":"cks-1","ConnectionState":"CONNECTED"}],"Truncated":false}"#)
            default:
                return ScriptedTransport.failure("UnknownOperationException")
            }
        }
        let client = KMSClientFactory.makeClient(transport: transport)
        var aliases: [String] = []
        for try await alias in client.items(ListAliases.self, ListAliasesRequest(keyID: "k1")) { aliases.append(alias.aliasName ?? "") }
        #expect(aliases == ["alias/a", "alias/b"])
        let second = try KMSJSON.decode(ListAliasesRequest.self, from: transport.requests[1].body)
        #expect(second.marker == "x" && second.keyID == "k1")
        var stores: [CustomKeyStoresListEntry] = []
        for try await store in client.items(DescribeCustomKeyStores.self, DescribeCustomKeyStoresRequest()) { stores.append(store) }
        #expect(stores.map(\.connectionState) == [.connected])
    }

    @Test func withMarkerKeepsTheOtherMembers() {
        let grants = ListGrants.withMarker(ListGrantsRequest(keyID: "k", limit: 5, granteePrincipal: "p"), "m")
        #expect(grants == ListGrantsRequest(keyID: "k", limit: 5, marker: "m", granteePrincipal: "p"))
        let tags = ListResourceTags.withMarker(ListResourceTagsRequest(keyID: "k", limit: 3), "n")
        #expect(tags == ListResourceTagsRequest(keyID: "k", limit: 3, marker: "n"))
        #expect(ListResourceTags.items(in: ListResourceTagsResponse(tags: [KMSAPI.Tag(tagKey: "a", tagValue: "b")])).count == 1)
        #expect(!ListGrants.isTruncated(in: ListGrantsResponse()))
    }
}
