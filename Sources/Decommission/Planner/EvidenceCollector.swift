import Foundation
import KMSAPI

/// Reads the evidence about a store's keys that the safety findings need (read-only): aliases
/// (one ListAliases listing for the whole Region), grants, tags and last usage per key.
public struct EvidenceCollector: Sendable {
    /// What was learned about one key.
    public struct KeyEvidence: Sendable, Equatable {
        public var grantCount: Int
        public var tags: [PlanTag]
        public var usage: UsageEvidence
        public init(grantCount: Int, tags: [PlanTag], usage: UsageEvidence) {
            self.grantCount = grantCount
            self.tags = tags
            self.usage = usage
        }
    }

    private let kms: any KMSGateway

    /// Creates a collector calling KMS through `kms` (whose client's rate limiter paces every call).
    public init(kms: any KMSGateway) { self.kms = kms }

    /// Lists every alias in the Region once (all pages) and maps key id to its sorted alias names.
    /// - Throws: `KMSError`.
    public func aliasesByKey() async throws -> [String: [String]] {
        var result: [String: [String]] = [:]
        try await PlannerErrors.call(ListAliases.name) {
            try await kms.forEachItem(ListAliases.self, ListAliasesRequest(limit: 100), page: kms.listAliases) { alias in
                // AWS managed aliases without a target (alias/aws/...) belong to no key yet.
                guard let target = alias.targetKeyID, let name = alias.aliasName else { return }
                result[target, default: []].append(name)
            }
        }
        return result.mapValues { $0.sorted() }
    }

    /// Reads one key's grants (count, all pages), tags and last usage.
    /// - Throws: `KMSError` (`.keyNotFound` when the key vanished meanwhile).
    public func collect(_ metadata: KeyMetadata) async throws -> KeyEvidence {
        let keyID = metadata.keyID
        // The usage read is the long pole (5 requests/s), so it goes first into the limiter's queue;
        // grants and tags run beside it.
        async let usage = PlannerErrors.call(GetKeyLastUsage.name) {
            try await kms.keyLastUsage(keyID)
        }
        async let grantCount = countGrants(keyID)
        async let tags = readTags(keyID)
        return KeyEvidence(
            grantCount: try await grantCount, tags: try await tags,
            usage: Self.usageEvidence(from: try await usage, keyCreationDate: metadata.creationDate))
    }

    /// Reads GetKeyLastUsage: a recorded use is `.used`; no use is `.neverUsed` only when tracking
    /// began on or before the key's creation, otherwise `.unknownBeforeTracking` (earlier use is
    /// possible). Missing dates are read conservatively as unknown.
    public static func usageEvidence(from response: GetKeyLastUsageResponse, keyCreationDate: Date?) -> UsageEvidence {
        let tracking = response.trackingStartDate
        if let last = response.keyLastUsage, !last.isEmpty {
            return UsageEvidence(
                verdict: .used, trackingStartDate: tracking, lastUsedAt: last.timestamp, operation: last.operation,
                kmsRequestID: last.kmsRequestID)
        }
        let created = response.keyCreationDate ?? keyCreationDate
        if let created, let tracking, created >= tracking {
            return UsageEvidence(verdict: .neverUsed, trackingStartDate: tracking)
        }
        return UsageEvidence(verdict: .unknownBeforeTracking, trackingStartDate: tracking)
    }

    private func countGrants(_ keyID: String) async throws -> Int {
        var count = 0
        try await PlannerErrors.call(ListGrants.name) {
            try await kms.forEachItem(ListGrants.self, ListGrantsRequest(keyID: keyID, limit: 100), page: kms.listGrants) { _ in count += 1 }
        }
        return count
    }

    private func readTags(_ keyID: String) async throws -> [PlanTag] {
        var tags: [PlanTag] = []
        try await PlannerErrors.call(ListResourceTags.name) {
            try await kms.forEachItem(ListResourceTags.self, ListResourceTagsRequest(keyID: keyID, limit: 50), page: kms.listResourceTags) { tag in
                tags.append(PlanTag(key: tag.tagKey, value: tag.tagValue))
            }
        }
        return tags.sorted { $0.key < $1.key }
    }
}
