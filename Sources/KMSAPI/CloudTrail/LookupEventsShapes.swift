import Foundation

/// The CloudTrail `LookupEvents` operation: its wire name and `X-Amz-Target`.
public enum LookupEvents {
    /// The operation name, as paced and reported (`LookupEvents`).
    public static let name: OperationName = "LookupEvents"
    /// The JSON 1.1 target prefix of CloudTrail (botocore `targetPrefix`).
    public static let targetPrefix = "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101"
    /// The full `X-Amz-Target` value.
    public static let target = "\(targetPrefix).LookupEvents"
    /// The most events one page may hold (botocore `MaxResults` max).
    public static let maxResultsLimit = 50
    /// How far back `LookupEvents` can see: management events of the last 90 days.
    public static let retention: TimeInterval = 90 * 86_400
}

/// A lookup attribute key (`LookupAttributeKey`); open so new members never fail decoding.
public struct LookupAttributeKey: WireValue {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public static let eventID: LookupAttributeKey = "EventId"
    public static let eventName: LookupAttributeKey = "EventName"
    public static let readOnly: LookupAttributeKey = "ReadOnly"
    public static let username: LookupAttributeKey = "Username"
    public static let resourceType: LookupAttributeKey = "ResourceType"
    public static let resourceName: LookupAttributeKey = "ResourceName"
    public static let eventSource: LookupAttributeKey = "EventSource"
    public static let accessKeyID: LookupAttributeKey = "AccessKeyId"
}

/// One filter of a lookup (`LookupAttribute`); CloudTrail accepts one per request.
public struct LookupAttribute: Codable, Sendable, Equatable {
    public var attributeKey: LookupAttributeKey
    public var attributeValue: String

    public init(_ key: LookupAttributeKey, _ value: String) {
        self.attributeKey = key
        self.attributeValue = value
    }

    enum CodingKeys: String, CodingKey { case attributeKey = "AttributeKey", attributeValue = "AttributeValue" }
}

/// The input of `LookupEvents` (`LookupEventsRequest`); dates travel as epoch seconds.
public struct LookupEventsRequest: Codable, Sendable, Equatable {
    public var lookupAttributes: [LookupAttribute]?
    public var startTime: Date?
    public var endTime: Date?
    public var eventCategory: String?
    public var maxResults: Int?
    public var nextToken: String?

    public init(
        lookupAttributes: [LookupAttribute]? = nil, startTime: Date? = nil, endTime: Date? = nil,
        eventCategory: String? = nil, maxResults: Int? = nil, nextToken: String? = nil
    ) {
        self.lookupAttributes = lookupAttributes
        self.startTime = startTime
        self.endTime = endTime
        self.eventCategory = eventCategory
        self.maxResults = maxResults
        self.nextToken = nextToken
    }

    enum CodingKeys: String, CodingKey {
        case lookupAttributes = "LookupAttributes", startTime = "StartTime", endTime = "EndTime"
        case eventCategory = "EventCategory", maxResults = "MaxResults", nextToken = "NextToken"
    }
}

/// A resource an event names (`Resource`): for KMS, type `AWS::KMS::Key` and the key ARN.
public struct CloudTrailResource: Codable, Sendable, Equatable {
    public var resourceType: String?
    public var resourceName: String?

    public init(resourceType: String?, resourceName: String?) {
        self.resourceType = resourceType
        self.resourceName = resourceName
    }

    enum CodingKeys: String, CodingKey { case resourceType = "ResourceType", resourceName = "ResourceName" }
}

/// One event of a lookup page (`Event`); the full record is the JSON string `cloudTrailEvent`.
public struct CloudTrailEvent: Codable, Sendable, Equatable {
    public var eventID: String?
    public var eventName: String?
    /// `"true"` or `"false"` as CloudTrail sends it (a string, not a Boolean).
    public var readOnly: String?
    public var accessKeyID: String?
    public var eventTime: Date?
    public var eventSource: String?
    public var username: String?
    public var resources: [CloudTrailResource]?
    /// The event record as a JSON string; `record` parses it.
    public var cloudTrailEvent: String?

    public init(
        eventID: String? = nil, eventName: String? = nil, readOnly: String? = nil, accessKeyID: String? = nil,
        eventTime: Date? = nil, eventSource: String? = nil, username: String? = nil,
        resources: [CloudTrailResource]? = nil, cloudTrailEvent: String? = nil
    ) {
        self.eventID = eventID
        self.eventName = eventName
        self.readOnly = readOnly
        self.accessKeyID = accessKeyID
        self.eventTime = eventTime
        self.eventSource = eventSource
        self.username = username
        self.resources = resources
        self.cloudTrailEvent = cloudTrailEvent
    }

    enum CodingKeys: String, CodingKey {
        case eventID = "EventId", eventName = "EventName", readOnly = "ReadOnly", accessKeyID = "AccessKeyId"
        case eventTime = "EventTime", eventSource = "EventSource", username = "Username", resources = "Resources"
        case cloudTrailEvent = "CloudTrailEvent"
    }

    /// The parsed record, filled in from the summary fields where the JSON string lacks them.
    ///
    /// Never fails: an absent or unreadable `CloudTrailEvent` string gives a record made of the
    /// summary fields alone, so one odd event can never stop a sweep.
    public var record: CloudTrailRecord {
        var record = cloudTrailEvent.flatMap { CloudTrailRecord.parse(Data($0.utf8)) } ?? CloudTrailRecord()
        if record.eventID == nil { record.eventID = eventID }
        if record.eventName == nil { record.eventName = eventName }
        if record.eventTime == nil { record.eventTime = eventTime }
        if record.eventSource == nil { record.eventSource = eventSource }
        if record.accessKeyID == nil { record.accessKeyID = accessKeyID }
        if record.readOnly == nil { record.readOnly = readOnly.map { $0.lowercased() == "true" } }
        if record.resourceARNs.isEmpty {
            record.resourceARNs = (resources ?? []).compactMap(\.resourceName)
        }
        return record
    }
}

/// The output of `LookupEvents` (`LookupEventsResponse`): newest event first.
public struct LookupEventsResponse: Codable, Sendable, Equatable {
    public var events: [CloudTrailEvent]?
    /// Present while more pages follow; pass it back with the same filters.
    public var nextToken: String?

    public init(events: [CloudTrailEvent]? = nil, nextToken: String? = nil) {
        self.events = events
        self.nextToken = nextToken
    }

    enum CodingKeys: String, CodingKey { case events = "Events", nextToken = "NextToken" }
}
