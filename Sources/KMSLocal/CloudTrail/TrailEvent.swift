import Foundation
import KMSAPI

/// One KMS call as kms-local's CloudTrail records it: who, what, on which key, and how it ended.
struct TrailEvent: Sendable, Equatable {
    /// Ordering within equal times, and the paging position.
    var seq: Int
    var eventID: String
    var time: Date
    var eventName: String
    var readOnly: Bool
    var accessKeyID: String
    var principal: TrailPrincipal
    var sourceIPAddress: String
    var userAgent: String
    var errorCode: String?
    var errorMessage: String?
    /// The key's ARN, nil when the call named no key kms-local holds.
    var resourceARN: String?
    /// The `KeyId` request parameter as the caller sent it.
    var requestKeyID: String?
    var requestID: String
    var region: String

    /// The `LookupEvents` entry, with the full record as the `CloudTrailEvent` JSON string.
    func lookupEntry() -> CloudTrailEvent {
        CloudTrailEvent(
            eventID: eventID, eventName: eventName, readOnly: readOnly ? "true" : "false", accessKeyID: accessKeyID,
            eventTime: time, eventSource: Self.eventSource, username: principal.username,
            resources: resourceARN.map { [CloudTrailResource(resourceType: Self.resourceType, resourceName: $0)] } ?? [],
            cloudTrailEvent: recordJSON())
    }

    static let eventSource = "kms.amazonaws.com"
    static let resourceType = "AWS::KMS::Key"

    /// The record as CloudTrail writes it (eventVersion 1.08 fields that evidence reads).
    func recordJSON() -> String {
        let record = Record(
            eventVersion: "1.08",
            userIdentity: Identity(
                type: principal.type, principalId: principal.principalID, arn: principal.arn,
                accountId: principal.accountID, accessKeyId: accessKeyID, userName: principal.userName,
                sessionContext: principal.sessionIssuerARN.map {
                    SessionContext(sessionIssuer: Issuer(type: "Role", arn: $0, accountId: principal.accountID))
                }),
            eventTime: time.formatted(Date.ISO8601FormatStyle()), eventSource: Self.eventSource, eventName: eventName,
            awsRegion: region, sourceIPAddress: sourceIPAddress, userAgent: userAgent, errorCode: errorCode,
            errorMessage: errorMessage, requestParameters: requestKeyID.map { Parameters(keyId: $0) },
            requestID: requestID, eventID: eventID, readOnly: readOnly,
            resources: resourceARN.map { [Resource(accountId: principal.accountID, type: Self.resourceType, ARN: $0)] },
            eventType: "AwsApiCall", managementEvent: true, recipientAccountId: principal.accountID,
            eventCategory: "Management")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(record)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    // The wire names below are CloudTrail's own; they are the coding keys.
    private struct Record: Encodable {
        var eventVersion: String
        var userIdentity: Identity
        var eventTime: String
        var eventSource: String
        var eventName: String
        var awsRegion: String
        var sourceIPAddress: String
        var userAgent: String
        var errorCode: String?
        var errorMessage: String?
        var requestParameters: Parameters?
        var requestID: String
        var eventID: String
        var readOnly: Bool
        var resources: [Resource]?
        var eventType: String
        var managementEvent: Bool
        var recipientAccountId: String
        var eventCategory: String
    }
    private struct Identity: Encodable {
        var type: String
        var principalId: String
        var arn: String
        var accountId: String
        var accessKeyId: String
        var userName: String?
        var sessionContext: SessionContext?
    }
    private struct SessionContext: Encodable { var sessionIssuer: Issuer }
    private struct Issuer: Encodable {
        var type: String
        var arn: String
        var accountId: String
    }
    private struct Parameters: Encodable { var keyId: String }
    private struct Resource: Encodable {
        var accountId: String
        var type: String
        var ARN: String
    }
}

/// The `userIdentity` of an event, derived from the principal ARN configured for an access key.
struct TrailPrincipal: Sendable, Equatable {
    var type: String
    var arn: String
    var principalID: String
    var accountID: String
    var userName: String?
    var sessionIssuerARN: String?
    /// The `Username` of a lookup entry: the user name, or the role session name.
    var username: String

    /// The session name kms-local gives a role principal.
    static let sessionName = "kms-local"

    /// Builds the identity: a `:role/NAME` ARN acts as an assumed-role session of that role,
    /// `:user/NAME` as an IAM user, `:root` as the account root; any other ARN is kept as given.
    init(arn configured: String, accessKeyID: String, accountID defaultAccount: String) {
        let parts = configured.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        let account = parts.count == 6 && !parts[4].isEmpty ? String(parts[4]) : defaultAccount
        let resource = parts.count == 6 ? String(parts[5]) : configured
        let name = String(resource.split(separator: "/").last ?? Substring(resource))
        self.accountID = account
        self.principalID = "AIDA" + accessKeyID
        if resource.hasPrefix("role/") {
            type = "AssumedRole"
            arn = "arn:aws:sts::\(account):assumed-role/\(name)/\(Self.sessionName)"
            sessionIssuerARN = configured
            principalID = "AROA\(accessKeyID):\(Self.sessionName)"
            username = Self.sessionName
        } else if resource.hasPrefix("assumed-role/") {
            type = "AssumedRole"
            arn = configured
            username = name
        } else if resource == "root" {
            type = "Root"
            arn = configured
            username = "root"
        } else {
            type = "IAMUser"
            arn = configured
            userName = name
            username = name
        }
    }
}
