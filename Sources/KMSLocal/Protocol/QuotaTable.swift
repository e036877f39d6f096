import Foundation
import KMSAPI

/// The document `kms-local --print-quotas` prints: the request rates `--quotas aws` enforces.
///
/// ```json
/// {"kind": "kms-local-quotas", "schemaVersion": 1, "unit": "requests-per-second",
///  "requestsPerSecond": {"CancelKeyDeletion": 5, "CreateAlias": 50, ...}}
/// ```
/// `--quotas aws×M` multiplies every rate by M; operations not listed are never throttled.
public struct QuotaTable: Codable, Sendable, Equatable {
    /// The `schemaVersion` this kms-local writes.
    public static let currentVersion = 1
    /// The `kind` that names this document.
    public static let documentKind = "kms-local-quotas"

    /// The document's format version.
    public var schemaVersion: Int
    /// Always `kms-local-quotas`.
    public var kind: String
    /// The unit of every rate: `requests-per-second` (per account and Region).
    public var unit: String
    /// The rate of each throttled operation, keyed by its wire name (`DescribeKey`).
    public var requestsPerSecond: [String: Double]

    enum CodingKeys: String, CodingKey { case schemaVersion, kind, unit, requestsPerSecond }

    /// Creates the table of the given rates (by default the one table kms-local enforces).
    public init(rates: [OperationName: Double] = QuotaPolicy.awsRates) {
        schemaVersion = Self.currentVersion
        kind = Self.documentKind
        unit = "requests-per-second"
        requestsPerSecond = Dictionary(uniqueKeysWithValues: rates.map { ($0.key.rawValue, $0.value) })
    }

    /// Encodes the table as one byte-stable JSON object (sorted keys, indented), ending in a newline.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return try encoder.encode(self) + Data("\n".utf8)
    }
}
