import Foundation
import KMSAPI
@testable import KMSLocal
import Testing

/// The `--print-quotas` document: the one quota table, as other tools read it.
struct QuotaTableTests {
    /// What a reader such as `Benchmarks/run` decodes, written without the Swift types.
    struct Document: Decodable {
        var schemaVersion: Int
        var kind: String
        var unit: String
        var requestsPerSecond: [String: Double]
    }

    @Test func printsTheClientsQuotaTableByWireName() throws {
        let document = try JSONDecoder().decode(Document.self, from: QuotaTable().encoded())
        #expect(document.schemaVersion == 1)
        #expect(document.kind == "kms-local-quotas")
        #expect(document.unit == "requests-per-second")
        // The one table the clients pace by: KMS's operations and CloudTrail's LookupEvents.
        let clientTables = RateLimiter.kmsQuotas.merging(RateLimiter.cloudTrailQuotas) { kms, _ in kms }
        let expected = Dictionary(uniqueKeysWithValues: clientTables.map { ($0.key.rawValue, $0.value) })
        #expect(document.requestsPerSecond == expected)
        #expect(document.requestsPerSecond["ScheduleKeyDeletion"] == 15)
        #expect(document.requestsPerSecond["DescribeKey"] == 2000)
        #expect(document.requestsPerSecond["LookupEvents"] == 2)
    }

    @Test func enforcesWhatItPrints() throws {
        let table = QuotaTable()
        for (name, rate) in table.requestsPerSecond {
            #expect(QuotaPolicy.aws(multiplier: 3).rate(for: OperationName(rawValue: name)) == rate * 3, "\(name)")
        }
    }

    @Test func isByteStableWithIntegralRatesAsIntegers() throws {
        let text = String(decoding: try QuotaTable(rates: ["ListKeys": 500, "DescribeKey": 2000]).encoded(), as: UTF8.self)
        #expect(text == """
            {
              "kind" : "kms-local-quotas",
              "requestsPerSecond" : {
                "DescribeKey" : 2000,
                "ListKeys" : 500
              },
              "schemaVersion" : 1,
              "unit" : "requests-per-second"
            }

            """)
    }
}
