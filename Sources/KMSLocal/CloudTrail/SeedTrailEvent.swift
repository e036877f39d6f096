import Foundation
import KMSAPI

/// A past CloudTrail event in a seed (`cloudtrailEvents[]`), optionally repeated `count` times.
public struct SeedTrailEvent: Codable, Sendable, Equatable {
    public var eventName: String
    /// The newest occurrence; repeats go back `intervalSeconds` each.
    public var eventTime: Date
    /// The key: id, key ARN or alias name of a seeded key, or any key ARN.
    public var keyID: String?
    public var errorCode: String?
    public var errorMessage: String?
    public var accessKeyID: String?
    public var principalARN: String?
    public var sourceIPAddress: String?
    public var userAgent: String?
    public var eventID: String?
    public var readOnly: Bool?
    public var count: Int?
    public var intervalSeconds: Double?

    enum CodingKeys: String, CodingKey {
        case eventName, eventTime, keyID = "keyId", errorCode, errorMessage, accessKeyID = "accessKeyId"
        case principalARN = "principalArn", sourceIPAddress, userAgent, eventID = "eventId", readOnly, count, intervalSeconds
    }

    /// Creates a seeded event; only the name and time are required.
    public init(
        eventName: String, eventTime: Date, keyID: String? = nil, errorCode: String? = nil, errorMessage: String? = nil, accessKeyID: String? = nil, principalARN: String? = nil, sourceIPAddress: String? = nil, userAgent: String? = nil, eventID: String? = nil, readOnly: Bool? = nil, count: Int? = nil, intervalSeconds: Double? = nil
    ) {
        self.eventName = eventName
        self.eventTime = eventTime
        self.keyID = keyID
        self.errorCode = errorCode
        self.errorMessage = errorMessage
        self.accessKeyID = accessKeyID
        self.principalARN = principalARN
        self.sourceIPAddress = sourceIPAddress
        self.userAgent = userAgent
        self.eventID = eventID
        self.readOnly = readOnly
        self.count = count
        self.intervalSeconds = intervalSeconds
    }

    /// The events this entry stands for, oldest first.
    /// - Throws: `KMSError` with `config.invalid` for a bad count or interval.
    func trailEvents(
        model: KMSModel, accountID: String, region: String, principals: [String: String], defaultAccessKeyID: String
    ) throws -> [TrailEvent] {
        let count = self.count ?? 1
        let interval = intervalSeconds ?? 60
        guard (1...CloudTrailLog.defaultCapacity).contains(count), interval.isFinite, interval >= 0 else {
            throw KMSLocalError(
                code: .invalidSeed,
                message: "cloudtrailEvents entry '\(eventName)' needs count 1 to \(CloudTrailLog.defaultCapacity) and intervalSeconds ≥ 0.")
        }
        let accessKey = accessKeyID ?? defaultAccessKeyID
        let arn = principalARN ?? principals[accessKey] ?? "arn:aws:iam::\(accountID):user/\(accessKey)"
        let principal = TrailPrincipal(arn: arn, accessKeyID: accessKey, accountID: accountID)
        let resource = keyID.flatMap { model.keyARN(for: $0) ?? ($0.hasPrefix("arn:aws:kms:") ? $0 : nil) }
        return (0..<count).reversed().map { index in
            TrailEvent(
                seq: 0, eventID: count == 1 ? (eventID ?? model.freshID()) : model.freshID(),
                time: eventTime.addingTimeInterval(-Double(index) * interval), eventName: eventName,
                readOnly: readOnly ?? !OperationName(rawValue: eventName).isMutating, accessKeyID: accessKey,
                principal: principal, sourceIPAddress: sourceIPAddress ?? TrailRecorder.defaultSourceIP,
                userAgent: userAgent ?? "", errorCode: errorCode, errorMessage: errorMessage,
                resourceARN: resource, requestKeyID: keyID, requestID: model.freshID(), region: region)
        }
    }
}
