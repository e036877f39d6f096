import Foundation
import KMSAPI

/// Records and dates for the evidence suites.
enum EvidenceFixtures {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)
    static let keyARN = "arn:aws:kms:us-east-1:111122223333:key/k1"
    static let appRole = "arn:aws:iam::111122223333:role/app"
    static let toolKey = "AKIDTOOL"

    static func record(
        _ name: String, error: String? = nil, minutesAgo: Double = 60, id: String? = nil, accessKey: String = "AKIDAPP",
        role: String? = appRole, ip: String? = "10.0.0.1", resources: [String] = [keyARN]
    ) -> CloudTrailRecord {
        CloudTrailRecord(
            eventID: id ?? UUID().uuidString, eventName: name, eventTime: now.addingTimeInterval(-minutesAgo * 60),
            errorCode: error, errorMessage: error.map { "\(keyARN) is \($0 == "DisabledException" ? "disabled" : "pending deletion")." },
            identityType: "AssumedRole", principalARN: role.map { _ in "arn:aws:sts::111122223333:assumed-role/app/s1" },
            sessionIssuerARN: role, accessKeyID: accessKey, sourceIPAddress: ip, resourceARNs: resources)
    }
}
