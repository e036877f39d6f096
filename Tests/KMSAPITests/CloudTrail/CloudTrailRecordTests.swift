import Foundation
import KMSAPI
import Testing

/// Parsing the `CloudTrailEvent` JSON string: every field the evidence needs, and tolerance.
struct CloudTrailRecordTests {
    /// A failed Decrypt on a disabled key, shaped as CloudTrail records it for an assumed role.
    static let disabledDecrypt = #"""
        {"eventVersion":"1.08","userIdentity":{"type":"AssumedRole","principalId":"AROAEXAMPLE:app-session",
        "arn":"arn:aws:sts::111122223333:assumed-role/app/app-session","accountId":"111122223333",
        "accessKeyId":"ASIAEXAMPLE","sessionContext":{"sessionIssuer":{"type":"Role","principalId":"AROAEXAMPLE",
        "arn":"arn:aws:iam::111122223333:role/app"}}},"eventTime":"2026-11-20T08:15:02Z",
        "eventSource":"kms.amazonaws.com","eventName":"Decrypt","awsRegion":"us-east-1",
        "sourceIPAddress":"10.0.3.7","userAgent":"aws-sdk-java/2.20","errorCode":"DisabledException",
        "errorMessage":"arn:aws:kms:us-east-1:111122223333:key/k1 is disabled.",
        "requestParameters":{"encryptionAlgorithm":"SYMMETRIC_DEFAULT","keyId":"alias/orders"},
        "responseElements":null,"requestID":"r-1","eventID":"e-1","readOnly":true,
        "resources":[{"accountId":"111122223333","type":"AWS::KMS::Key","ARN":"arn:aws:kms:us-east-1:111122223333:key/k1"}],
        "eventType":"AwsApiCall","managementEvent":true,"recipientAccountId":"111122223333"}
        """#

    @Test func readsEveryEvidenceField() throws {
        let record = try #require(CloudTrailRecord.parse(Data(Self.disabledDecrypt.utf8)))
        #expect(record.eventID == "e-1")
        #expect(record.eventName == "Decrypt")
        #expect(record.eventTime == Date(timeIntervalSince1970: 1_795_162_502))
        #expect(record.eventSource == "kms.amazonaws.com")
        #expect(record.errorCode == "DisabledException")
        #expect(record.errorMessage == "arn:aws:kms:us-east-1:111122223333:key/k1 is disabled.")
        #expect(record.identityType == "AssumedRole")
        #expect(record.principalARN == "arn:aws:sts::111122223333:assumed-role/app/app-session")
        #expect(record.principalID == "AROAEXAMPLE:app-session")
        #expect(record.sessionIssuerARN == "arn:aws:iam::111122223333:role/app")
        #expect(record.accessKeyID == "ASIAEXAMPLE")
        #expect(record.sourceIPAddress == "10.0.3.7")
        #expect(record.userAgent == "aws-sdk-java/2.20")
        #expect(record.resourceARNs == ["arn:aws:kms:us-east-1:111122223333:key/k1"])
        #expect(record.requestKeyID == "alias/orders")
        #expect(record.readOnly == true)
        #expect(record.hasFailed)
        #expect(record.principal == "arn:aws:sts::111122223333:assumed-role/app/app-session")
    }

    @Test func fractionalSecondsAreRead() throws {
        let record = try #require(CloudTrailRecord.parse(Data(#"{"eventTime":"2026-11-20T08:15:02.250Z"}"#.utf8)))
        #expect(record.eventTime == Date(timeIntervalSince1970: 1_795_162_502.25))
    }

    @Test(arguments: [
        #"{}"#,
        #"{"eventName":7,"eventTime":"yesterday","userIdentity":"root","resources":{"ARN":"x"},"readOnly":"true"}"#,
        #"{"resources":[1,"two",null,{"ARN":5},{"ARN":"arn:kept"}],"requestParameters":[],"errorCode":null}"#,
        #"{"userIdentity":{"sessionContext":{"sessionIssuer":"odd"},"arn":["a"]}}"#,
    ])
    func oddFieldsBecomeNilWithoutFailing(json: String) throws {
        let record = try #require(CloudTrailRecord.parse(Data(json.utf8)))
        #expect(record.eventName == nil)
        #expect(record.eventTime == nil)
        #expect(record.principalARN == nil)
        #expect(record.readOnly == nil)
        #expect(!record.hasFailed)
        #expect(record.resourceARNs.allSatisfy { $0 == "arn:kept" })
    }

    @Test(arguments: ["", "not json", "[1,2]", "\"text\"", "{\"eventName\":"])
    func nonObjectsAreNil(text: String) {
        #expect(CloudTrailRecord.parse(Data(text.utf8)) == nil)
    }

    @Test func identityWithoutAnARNIsNamedByTypeAndPrincipal() throws {
        let service = try #require(CloudTrailRecord.parse(Data(#"{"userIdentity":{"type":"AWSService","invokedBy":"s3.amazonaws.com"}}"#.utf8)))
        #expect(service.principal == "s3.amazonaws.com")
        let user = try #require(CloudTrailRecord.parse(Data(#"{"userIdentity":{"type":"IAMUser","principalId":"AIDA1"}}"#.utf8)))
        #expect(user.principal == "IAMUser:AIDA1")
        #expect(CloudTrailRecord().principal == "unknown")
    }

    @Test func theSummaryFillsWhatTheRecordLacks() {
        let event = CloudTrailEvent(
            eventID: "e-9", eventName: "Encrypt", readOnly: "true", accessKeyID: "AKID1",
            eventTime: Date(timeIntervalSince1970: 100), eventSource: "kms.amazonaws.com",
            resources: [CloudTrailResource(resourceType: "AWS::KMS::Key", resourceName: "arn:k")],
            cloudTrailEvent: "garbage")
        let record = event.record
        #expect(record.eventID == "e-9")
        #expect(record.eventName == "Encrypt")
        #expect(record.eventTime == Date(timeIntervalSince1970: 100))
        #expect(record.accessKeyID == "AKID1")
        #expect(record.readOnly == true)
        #expect(record.resourceARNs == ["arn:k"])
        let full = CloudTrailEvent(eventName: "Other", cloudTrailEvent: Self.disabledDecrypt).record
        #expect(full.eventName == "Decrypt")
        #expect(full.errorCode == "DisabledException")
    }
}
