import Foundation
import KMSAPI

/// The validated filters of one `LookupEvents` request: one attribute and a time range.
struct LookupFilter: Sendable {
    let attribute: LookupAttribute?
    let startTime: Date?
    let endTime: Date?
    /// Identifies the query, so a NextToken is only accepted with the filters it came from.
    let hash: UInt64

    /// Validates a request as CloudTrail does.
    /// - Throws: `InvalidLookupAttributesException`, `InvalidTimeRangeException`,
    ///   `InvalidMaxResultsException` or `InvalidEventCategoryException`.
    init(_ request: LookupEventsRequest) throws(ServiceError) {
        let attributes = request.lookupAttributes ?? []
        guard attributes.count <= 1 else {
            throw ServiceError("InvalidLookupAttributesException", "You can specify at most one lookup attribute.")
        }
        if let attribute = attributes.first {
            guard Self.supported.contains(attribute.attributeKey) else {
                throw ServiceError("InvalidLookupAttributesException", "The lookup attribute key '\(attribute.attributeKey)' is not supported.")
            }
            if attribute.attributeKey == .readOnly, !["true", "false"].contains(attribute.attributeValue) {
                throw ServiceError("InvalidLookupAttributesException", "The ReadOnly attribute takes true or false.")
            }
        }
        if let start = request.startTime, let end = request.endTime, start > end {
            throw ServiceError("InvalidTimeRangeException", "Start time must be before the end time.")
        }
        if let max = request.maxResults, !(1...LookupEvents.maxResultsLimit).contains(max) {
            throw ServiceError("InvalidMaxResultsException", "MaxResults must be from 1 to \(LookupEvents.maxResultsLimit).")
        }
        if let category = request.eventCategory, category != "insight" {
            throw ServiceError("InvalidEventCategoryException", "The event category '\(category)' is not valid; use insight.")
        }
        self.attribute = attributes.first
        self.startTime = request.startTime
        self.endTime = request.endTime
        let canonical = [
            attribute?.attributeKey.rawValue ?? "", attribute?.attributeValue ?? "",
            request.startTime.map { "\($0.timeIntervalSince1970)" } ?? "", request.endTime.map { "\($0.timeIntervalSince1970)" } ?? "",
        ].joined(separator: "\n")
        self.hash = FNV1a.hash(Data(canonical.utf8))
    }

    static let supported: Set<LookupAttributeKey> = [
        .eventID, .eventName, .readOnly, .username, .resourceType, .resourceName, .eventSource, .accessKeyID,
    ]

    /// Whether an event passes the time range and the attribute.
    func matches(_ event: TrailEvent) -> Bool {
        if let startTime, event.time < startTime { return false }
        if let endTime, event.time > endTime { return false }
        guard let attribute else { return true }
        let value = attribute.attributeValue
        switch attribute.attributeKey {
        case .eventID: return event.eventID == value
        case .eventName: return event.eventName == value
        case .readOnly: return event.readOnly == (value == "true")
        case .username: return event.principal.username == value
        case .resourceType: return event.resourceARN != nil && value == TrailEvent.resourceType
        // CloudTrail names KMS keys by ARN; the bare key id is accepted too, for convenience.
        case .resourceName:
            guard let arn = event.resourceARN else { return false }
            return arn == value || arn.hasSuffix(":key/" + value)
        case .eventSource: return value == TrailEvent.eventSource
        case .accessKeyID: return event.accessKeyID == value
        default: return false
        }
    }
}
