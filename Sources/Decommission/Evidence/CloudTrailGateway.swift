import Foundation
import KMSAPI

/// Every CloudTrail call `Decommission` makes: the seam between the evidence sweeps (plan time,
/// observation, guard) and `CloudTrailClient`, so they run against CloudTrail, kms-local or an
/// in-memory fake alike.
public protocol CloudTrailGateway: Sendable {
    /// One page of `LookupEvents` (newest event first; follow `nextToken`).
    /// - Throws: `KMSError` (`kms.access-denied`, `kms.throttled` after retries, connection errors).
    func lookupEvents(_ request: LookupEventsRequest) async throws -> LookupEventsResponse
}

/// The real `CloudTrailGateway`: a `CloudTrailClient` (paced 2/s by its rate limiter).
public struct CloudTrailClientGateway: CloudTrailGateway {
    public let client: CloudTrailClient

    public init(client: CloudTrailClient) { self.client = client }

    public func lookupEvents(_ request: LookupEventsRequest) async throws -> LookupEventsResponse {
        try await client.lookupEvents(request).output
    }
}

/// Where evidence of use is read and how: the gateway, what marks the tool's own calls, and the
/// delivery lag every window leaves out.
public struct CloudTrailEvidenceSource: Sendable {
    public var gateway: any CloudTrailGateway
    public var rules: EvidenceRules

    public init(gateway: any CloudTrailGateway, tool: ToolIdentity = ToolIdentity()) {
        self.gateway = gateway
        self.rules = EvidenceRules(tool: tool)
    }
}
