import Foundation
import KMSAPI
import Testing
@testable import KMSLocal

/// Limits, markers and truncation of the listing operations.
struct PagingTests {
    typealias F = ModelFixtures

    @Test func listKeysPagesThroughAHundredThousandGeneratedKeys() throws {
        var seed = SeedFile(seedVersion: 1)
        seed.generatedKeys = 100_000
        let model = try F.makeModel(seed: seed)
        var marker: String?
        var count = 0
        var pages = 0
        repeat {
            let page = try model.listKeys(.init(limit: 1000, marker: marker))
            count += page.keys?.count ?? 0
            pages += 1
            #expect((page.nextMarker != nil) == (page.truncated == true))
            marker = page.nextMarker
        } while marker != nil
        #expect(count == 100_000)
        #expect(pages == 100)
        #expect(try model.describeKey(.init(keyID: ModelState.generatedKeyID(99_999))).keyMetadata?.keyState == .enabled)
    }

    @Test func smallLimitsTruncateAndOmitTheMarkerOnTheLastPage() throws {
        var seed = SeedFile(seedVersion: 1)
        seed.generatedKeys = 5
        let model = try F.makeModel(seed: seed)
        let first = try model.listKeys(.init(limit: 2))
        #expect(first.keys?.map(\.keyID) == [ModelState.generatedKeyID(0), ModelState.generatedKeyID(1)])
        #expect(first.truncated == true)
        let last = try model.listKeys(.init(limit: 3, marker: first.nextMarker))
        #expect(last.keys?.count == 3)
        #expect(last.truncated == false)
        #expect(last.nextMarker == nil)
    }

    @Test(arguments: ["garbage", Data("aliases:0".utf8).base64EncodedString(), Data("keys:-1".utf8).base64EncodedString()])
    func badMarkersAreRejected(marker: String) throws {
        let model = try F.makeModel()
        #expect(F.errorType { try model.listKeys(.init(marker: marker)) } == "InvalidMarkerException")
    }

    @Test func limitsOutsideTheDocumentedRangesAreValidationErrors() throws {
        let model = try F.makeModel(seed: F.storesSeed(state: "CONNECTED"))
        #expect(F.errorType { try model.listKeys(.init(limit: 0)) } == "ValidationException")
        #expect(F.errorType { try model.listKeys(.init(limit: 1001)) } == "ValidationException")
        #expect(F.errorType { try model.listAliases(.init(limit: 101)) } == "ValidationException")
        #expect(F.errorType { try model.listGrants(.init(keyID: F.hsmKey, limit: 101)) } == "ValidationException")
        #expect(F.errorType { try model.listResourceTags(.init(keyID: F.hsmKey, limit: 51)) } == "ValidationException")
        #expect(F.error { try model.listKeys(.init(limit: 1001)) }?.message
            == "1 validation error detected: Value '1001' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 1000")
    }

    @Test func tagsAndGrantsPage() throws {
        let model = try F.makeModel(seed: F.storesSeed(state: "CONNECTED"))
        _ = try model.tagResource(.init(keyID: F.hsmKey, tags: (0..<3).map { Tag(tagKey: "k\($0)", tagValue: "v") }))
        for index in 0..<3 {
            _ = try model.createGrant(.init(keyID: F.hsmKey, granteePrincipal: "p\(index)", operations: ["Decrypt"]))
        }
        let tags = try model.listResourceTags(.init(keyID: F.hsmKey, limit: 2))
        let rest = try model.listResourceTags(.init(keyID: F.hsmKey, limit: 2, marker: tags.nextMarker))
        #expect((tags.tags ?? []) + (rest.tags ?? []) == (0..<3).map { Tag(tagKey: "k\($0)", tagValue: "v") })
        let grants = try model.listGrants(.init(keyID: F.hsmKey, limit: 2))
        #expect(grants.grants?.count == 2)
        #expect(try model.listGrants(.init(keyID: F.hsmKey, marker: grants.nextMarker)).grants?.map(\.granteePrincipal) == ["p2"])
    }
}
