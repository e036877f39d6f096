import Decommission
import Foundation
import KMSAPI

/// The in-memory CloudTrail of the tests, at the `CloudTrailGateway` seam: seeded events served
/// by `LookupEvents` (ResourceName filter, time range, newest first, `NextToken` paging), a call
/// log, and denial.
public actor FakeCloudTrail: CloudTrailGateway {
    public private(set) var events: [CloudTrailEvent] = []
    /// Every request served, in order.
    public private(set) var requests: [LookupEventsRequest] = []
    /// When set, every call fails with this error (AccessDenied, a lost connection).
    public var failure: KMSError?
    /// Lookups of these resources fail with a lost connection (an interrupted sweep).
    public var failingResources: Set<String> = []
    private var nextID = 0

    public init() {}

    /// Fails every later call with `error` (nil serves again).
    public func fail(with error: KMSError?) { failure = error }

    /// Fails the lookups of these resources (empty serves again).
    public func fail(resources: Set<String>) { failingResources = resources }

    /// Records a call on a key as KMS would log it; `errorCode` nil for a success.
    public func record(
        _ operation: String, keyARN: String, at time: Date, principal: String = "arn:aws:iam::111122223333:role/billing-app",
        errorCode: String? = "DisabledException", errorMessage: String? = nil, sourceIP: String = "10.0.3.7",
        accessKeyID: String = "AKIAAPPLICATION00001", count: Int = 1
    ) {
        for index in 0..<count {
            nextID += 1
            let when = time.addingTimeInterval(Double(index))
            var record: [String: Any] = [
                "eventID": "evt-\(nextID)", "eventName": operation, "eventTime": ISO8601DateFormatter().string(from: when),
                "eventSource": "kms.amazonaws.com", "sourceIPAddress": sourceIP,
                "userIdentity": ["type": "AssumedRole", "arn": principal, "accessKeyId": accessKeyID],
                "resources": [["ARN": keyARN, "type": "AWS::KMS::Key"]], "requestParameters": ["keyId": keyARN],
            ]
            if let errorCode {
                record["errorCode"] = errorCode
                record["errorMessage"] = errorMessage ?? "\(keyARN) is disabled."
            }
            let json = (try? JSONSerialization.data(withJSONObject: record, options: [.sortedKeys])).map { String(decoding: $0, as: UTF8.self) }
            events.append(
                CloudTrailEvent(
                    eventID: "evt-\(nextID)", eventName: operation, readOnly: "true", accessKeyID: accessKeyID, eventTime: when,
                    eventSource: "kms.amazonaws.com", resources: [CloudTrailResource(resourceType: "AWS::KMS::Key", resourceName: keyARN)],
                    cloudTrailEvent: json))
        }
    }

    public func lookupEvents(_ request: LookupEventsRequest) async throws -> LookupEventsResponse {
        requests.append(request)
        if let failure { throw failure }
        let resource = request.lookupAttributes?.first { $0.attributeKey == .resourceName }?.attributeValue
        if let resource, failingResources.contains(resource) {
            throw KMSError(code: .connectionLost, message: "The connection was lost.", retryability: .transient)
        }
        let matching = events.filter { event in
            guard let time = event.eventTime else { return false }
            if let start = request.startTime, time < start { return false }
            if let end = request.endTime, time > end { return false }
            if let resource { return event.resources?.contains { $0.resourceName == resource } ?? false }
            return true
        }.sorted { ($0.eventTime ?? .distantPast) > ($1.eventTime ?? .distantPast) }
        let start = Int(request.nextToken ?? "0") ?? 0
        let end = min(matching.count, start + (request.maxResults ?? LookupEvents.maxResultsLimit))
        return LookupEventsResponse(events: Array(matching[min(start, end)..<end]), nextToken: end < matching.count ? String(end) : nil)
    }
}
