import Foundation

/// The fields of a CloudTrail event record (the `CloudTrailEvent` JSON string) that evidence needs.
///
/// Parsing is tolerant by design: records vary by service and event version, so a missing
/// field, a field of an unexpected type or unreadable JSON gives nil fields, never an error.
public struct CloudTrailRecord: Sendable, Equatable {
    public var eventID: String?
    public var eventName: String?
    public var eventTime: Date?
    public var eventSource: String?
    /// The AWS error name when the call failed (`DisabledException`), nil on success.
    public var errorCode: String?
    public var errorMessage: String?
    /// `userIdentity.type`: `IAMUser`, `AssumedRole`, `AWSService`, `Root`, ...
    public var identityType: String?
    /// `userIdentity.arn`.
    public var principalARN: String?
    /// `userIdentity.principalId`.
    public var principalID: String?
    /// `userIdentity.sessionContext.sessionIssuer.arn`: the role behind an assumed-role session.
    public var sessionIssuerARN: String?
    /// `userIdentity.invokedBy`: the service that called on the principal's behalf.
    public var invokedBy: String?
    /// `userIdentity.accessKeyId`.
    public var accessKeyID: String?
    public var sourceIPAddress: String?
    public var userAgent: String?
    /// `resources[].ARN`.
    public var resourceARNs: [String]
    /// `requestParameters.keyId` as the caller sent it (id, ARN or alias).
    public var requestKeyID: String?
    public var readOnly: Bool?

    public init(
        eventID: String? = nil, eventName: String? = nil, eventTime: Date? = nil, eventSource: String? = nil,
        errorCode: String? = nil, errorMessage: String? = nil, identityType: String? = nil,
        principalARN: String? = nil, principalID: String? = nil, sessionIssuerARN: String? = nil,
        invokedBy: String? = nil, accessKeyID: String? = nil, sourceIPAddress: String? = nil,
        userAgent: String? = nil, resourceARNs: [String] = [], requestKeyID: String? = nil, readOnly: Bool? = nil
    ) {
        self.eventID = eventID
        self.eventName = eventName
        self.eventTime = eventTime
        self.eventSource = eventSource
        self.errorCode = errorCode
        self.errorMessage = errorMessage
        self.identityType = identityType
        self.principalARN = principalARN
        self.principalID = principalID
        self.sessionIssuerARN = sessionIssuerARN
        self.invokedBy = invokedBy
        self.accessKeyID = accessKeyID
        self.sourceIPAddress = sourceIPAddress
        self.userAgent = userAgent
        self.resourceARNs = resourceARNs
        self.requestKeyID = requestKeyID
        self.readOnly = readOnly
    }

    /// Who made the call, for people: the ARN, else `type:principalId`, else the invoking service.
    public var principal: String {
        if let principalARN, !principalARN.isEmpty { return principalARN }
        if let identityType, let principalID { return "\(identityType):\(principalID)" }
        return invokedBy ?? identityType ?? "unknown"
    }

    /// Whether the call failed (CloudTrail recorded an `errorCode`).
    public var hasFailed: Bool { !(errorCode ?? "").isEmpty }

    /// Parses a record; nil only when the data is not a JSON object.
    public static func parse(_ data: Data) -> CloudTrailRecord? {
        try? JSONDecoder().decode(Wire.self, from: data).record
    }

    /// Reads ISO-8601 (`2024-05-01T12:00:00Z`, fractional seconds optional).
    static func parseTime(_ text: String) -> Date? {
        if let date = try? Date.ISO8601FormatStyle().parse(text) { return date }
        return try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text)
    }

    // MARK: - Wire

    private struct Wire: Decodable {
        var record: CloudTrailRecord

        enum Keys: String, CodingKey {
            case eventID, eventName, eventTime, eventSource, errorCode, errorMessage, userIdentity
            case sourceIPAddress, userAgent, resources, requestParameters, readOnly
        }
        enum IdentityKeys: String, CodingKey { case type, arn, principalId, invokedBy, accessKeyId, sessionContext }
        enum SessionKeys: String, CodingKey { case sessionIssuer }
        enum IssuerKeys: String, CodingKey { case arn }
        enum ResourceKeys: String, CodingKey { case arn = "ARN" }
        enum ParameterKeys: String, CodingKey { case keyId }

        init(from decoder: any Decoder) throws {
            // Only a non-object fails; below, every `try?` turns one odd field into nil on purpose.
            let root = try decoder.container(keyedBy: Keys.self)
            var record = CloudTrailRecord()
            record.eventID = Self.string(root, .eventID)
            record.eventName = Self.string(root, .eventName)
            record.eventTime = Self.string(root, .eventTime).flatMap(CloudTrailRecord.parseTime)
            record.eventSource = Self.string(root, .eventSource)
            record.errorCode = Self.string(root, .errorCode)
            record.errorMessage = Self.string(root, .errorMessage)
            record.sourceIPAddress = Self.string(root, .sourceIPAddress)
            record.userAgent = Self.string(root, .userAgent)
            record.readOnly = (try? root.decodeIfPresent(Bool.self, forKey: .readOnly)) ?? nil
            if let identity = try? root.nestedContainer(keyedBy: IdentityKeys.self, forKey: .userIdentity) {
                record.identityType = Self.string(identity, .type)
                record.principalARN = Self.string(identity, .arn)
                record.principalID = Self.string(identity, .principalId)
                record.invokedBy = Self.string(identity, .invokedBy)
                record.accessKeyID = Self.string(identity, .accessKeyId)
                let issuer = (try? identity.nestedContainer(keyedBy: SessionKeys.self, forKey: .sessionContext))
                    .flatMap { try? $0.nestedContainer(keyedBy: IssuerKeys.self, forKey: .sessionIssuer) }
                record.sessionIssuerARN = issuer.flatMap { Self.string($0, .arn) }
            }
            if var resources = try? root.nestedUnkeyedContainer(forKey: .resources) {
                while !resources.isAtEnd {
                    guard let resource = try? resources.nestedContainer(keyedBy: ResourceKeys.self) else {
                        // Skip an element that is not an object; stop if even that fails.
                        guard (try? resources.decode(Ignored.self)) != nil else { break }
                        continue
                    }
                    if let arn = Self.string(resource, .arn) { record.resourceARNs.append(arn) }
                }
            }
            if let parameters = try? root.nestedContainer(keyedBy: ParameterKeys.self, forKey: .requestParameters) {
                record.requestKeyID = Self.string(parameters, .keyId)
            }
            self.record = record
        }

        private static func string<K: CodingKey>(_ container: KeyedDecodingContainer<K>, _ key: K) -> String? {
            (try? container.decodeIfPresent(String.self, forKey: key)) ?? nil
        }
    }

    /// Decodes and discards any JSON value.
    private struct Ignored: Decodable {
        init(from decoder: any Decoder) throws {}
    }
}
