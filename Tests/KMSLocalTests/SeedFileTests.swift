import Foundation
import KMSLocal
import Testing

/// The public seed model: what other modules write when they build a kms-local seed.
struct SeedFileTests {
    static let date = Date(timeIntervalSince1970: 1_750_000_000.25)

    static func makeSeed() -> SeedFile {
        SeedFile(
            accountID: "111122223333", trackingStartDate: date,
            stores: [SeedStore(id: "cks-1234567890abcdef0", name: "hsm", type: "AWS_CLOUDHSM", clusterID: "cluster-1a23b4cdefg")],
            keys: [
                SeedKey(
                    id: "k-1", storeID: "cks-1234567890abcdef0", xksKeyID: "ext-1",
                    grants: [SeedGrant(grantID: "g-1", granteePrincipal: "arn:aws:iam::111122223333:role/app", operations: ["Decrypt"])],
                    lastUsage: SeedUsage(operation: "Decrypt", timestamp: date, requestID: "r-1"))
            ])
    }

    @Test func encodesTheDocumentedFieldNamesAndOmitsWhatIsUnset() throws {
        let text = String(decoding: try SeedFile.makeEncoder().encode(Self.makeSeed()), as: UTF8.self)
        let written = ["seedVersion", "accountId", "trackingStartDate", "clusterId", "storeId", "xksKeyId", "grantId", "requestId"]
        for name in written { #expect(text.contains("\"\(name)\""), "\(name) is written") }
        // Unset optionals are left out, never written as null; Swift property names never leak.
        for name in ["region", "generatedKeys", "state", "connectionState", "accountID", "storeID", "null"] {
            #expect(!text.contains("\"\(name)\"") && !text.contains(": null"), "\(name) is not written")
        }
        #expect(text.contains("\"2025-06-15T15:06:40.250Z\""))
    }

    @Test func decodesWhatItEncodes() throws {
        let seed = Self.makeSeed()
        let data = try SeedFile.makeEncoder().encode(seed)
        #expect(try SeedFile.makeDecoder().decode(SeedFile.self, from: data) == seed)
    }
}
