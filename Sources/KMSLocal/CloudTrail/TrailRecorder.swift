import Foundation
import KMSAPI

/// Turns each answered KMS call into a `TrailEvent`: identity from the signing access key and
/// its configured principal, the key from the request, the outcome from the answer.
struct TrailRecorder: Sendable {
    let log: CloudTrailLog
    let model: KMSModel
    /// Principal ARN per access key id (`--principal AKID=ARN`, seed `principals`).
    let principals: [String: String]
    let accountID: String
    let region: String

    /// The source address reported when the request names none (`X-Forwarded-For` overrides it).
    static let defaultSourceIP = "127.0.0.1"

    /// The operations whose target is a store or nothing: their events name no key.
    private static let keylessOperations: Set<String> = [
        CreateCustomKeyStore.name.rawValue, DescribeCustomKeyStores.name.rawValue, ConnectCustomKeyStore.name.rawValue,
        DisconnectCustomKeyStore.name.rawValue, DeleteCustomKeyStore.name.rawValue, UpdateCustomKeyStore.name.rawValue,
        CreateKey.name.rawValue, ListKeys.name.rawValue,
    ]

    /// Records one call.
    func record(
        _ request: HTTPRequest, operation: String, target: String?, error: ServiceError?, requestID: String, time: Date
    ) {
        let accessKeyID = Self.accessKeyID(of: request) ?? "unknown"
        let configured = principals[accessKeyID] ?? "arn:aws:iam::\(accountID):user/\(accessKeyID)"
        let resource = Self.keylessOperations.contains(operation) ? nil : target.flatMap(resourceARN(of:))
        let forwarded = request.headers["X-Forwarded-For"]?.split(separator: ",").first
            .map { $0.trimmingCharacters(in: .whitespaces) }
        log.record(
            TrailEvent(
                seq: 0, eventID: model.freshID(), time: time, eventName: operation,
                readOnly: !OperationName(rawValue: operation).isMutating, accessKeyID: accessKeyID,
                principal: TrailPrincipal(arn: configured, accessKeyID: accessKeyID, accountID: accountID),
                sourceIPAddress: forwarded.flatMap { $0.isEmpty ? nil : $0 } ?? Self.defaultSourceIP,
                userAgent: request.headers["User-Agent"] ?? "", errorCode: error?.type, errorMessage: error?.message,
                resourceARN: resource, requestKeyID: target.flatMap { Self.keylessOperations.contains(operation) ? nil : $0 },
                requestID: requestID, region: region))
    }

    /// The key ARN a KeyId names. Only an alias needs the model (and its lock, the hot one): an id
    /// or key ARN is named as sent, as CloudTrail names the requested key even when it does not exist.
    private func resourceARN(of target: String) -> String? {
        if target.hasPrefix("arn:aws:kms:") { return target.contains(":key/") ? target : model.keyARN(for: target) }
        if target.hasPrefix("alias/") { return model.keyARN(for: target) }
        return target.isEmpty ? nil : "arn:aws:kms:\(region):\(accountID):key/\(target)"
    }

    /// The access key id in a SigV4 `Authorization` header's `Credential=AKID/...`.
    static func accessKeyID(of request: HTTPRequest) -> String? {
        guard let header = request.headers["Authorization"], let range = header.range(of: "Credential=") else { return nil }
        let rest = header[range.upperBound...]
        guard let slash = rest.firstIndex(of: "/"), slash > rest.startIndex else { return nil }
        return String(rest[..<slash])
    }
}
