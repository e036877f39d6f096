import Foundation
import KMSAPI

/// A past CloudTrail event in a seed (`cloudtrailEvents[]`), optionally repeated `count` times.
struct SeedTrailEvent: Codable, Sendable, Equatable {
    var eventName: String
    /// The newest occurrence; repeats go back `intervalSeconds` each.
    var eventTime: Date
    /// The key: id, key ARN or alias name of a seeded key, or any key ARN.
    var keyID: String?
    var errorCode: String?
    var errorMessage: String?
    var accessKeyID: String?
    var principalARN: String?
    var sourceIPAddress: String?
    var userAgent: String?
    var eventID: String?
    var readOnly: Bool?
    var count: Int?
    var intervalSeconds: Double?

    enum CodingKeys: String, CodingKey {
        case eventName, eventTime, keyID = "keyId", errorCode, errorMessage, accessKeyID = "accessKeyId"
        case principalARN = "principalArn", sourceIPAddress, userAgent, eventID = "eventId", readOnly, count, intervalSeconds
    }

    /// The events this entry stands for, oldest first.
    /// - Throws: `KMSError` with `config.invalid` for a bad count or interval.
    func trailEvents(
        model: KMSModel, accountID: String, region: String, principals: [String: String], defaultAccessKeyID: String
    ) throws -> [TrailEvent] {
        let count = self.count ?? 1
        let interval = intervalSeconds ?? 60
        guard (1...CloudTrailLog.defaultCapacity).contains(count), interval.isFinite, interval >= 0 else {
            throw KMSError(
                code: .invalidConfiguration,
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
