import KMSAPI

/// What a CloudTrail event says about whether something still needs a key.
public enum KeyUseKind: String, Sendable, Equatable, CaseIterable {
    /// A cryptographic or grant call that failed: a dependent tried and was refused.
    case attemptedUse
    /// A cryptographic or grant call that succeeded.
    case use
}

/// The one place that decides which CloudTrail events are evidence of use, and of which kind.
///
/// Only cryptographic and grant operations are evidence; reads (`DescribeKey`, listings) and
/// administration are not, whoever makes them. KMS records cryptographic calls as `readOnly`
/// events, so the `ReadOnly` flag is no guide: the operation name decides. Any failure of such a
/// call is an attempted use (each one is a caller that needs the key); `isKeyStateRefusal` marks
/// the ones a disabled or pending key causes, the scream test's own signal.
public struct EvidenceRules: Sendable, Equatable {
    /// The tool's own calls, never evidence.
    public var tool: ToolIdentity

    public init(tool: ToolIdentity = ToolIdentity()) {
        self.tool = tool
    }

    /// The cryptographic operations of KMS, as CloudTrail names them (GetKeyLastUsage's list).
    public static let cryptographicOperations: Set<String> = [
        "Decrypt", "Encrypt", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext", "GenerateDataKeyPair",
        "GenerateDataKeyPairWithoutPlaintext", "ReEncrypt", "Sign", "Verify", "GenerateMac", "VerifyMac",
        "DeriveSharedSecret",
    ]
    /// The grant operations that give a principal use of the key.
    public static let grantOperations: Set<String> = ["CreateGrant"]
    /// The errors KMS answers because of the key's state: `DisabledException` for a disabled key,
    /// `KMSInvalidStateException` for one pending deletion (or unavailable), `KeyUnavailableException`.
    public static let keyStateErrorCodes: Set<String> = ["DisabledException", "KMSInvalidStateException", "KeyUnavailableException"]

    /// Whether an operation name is one whose calls are evidence.
    public static func isUseOperation(_ name: String) -> Bool {
        cryptographicOperations.contains(name) || grantOperations.contains(name)
    }

    /// The kind of evidence a record is, nil when it is none (another operation, or the tool's own call).
    public func classify(_ record: CloudTrailRecord) -> KeyUseKind? {
        guard let name = record.eventName, Self.isUseOperation(name), !tool.isOwnCall(record) else { return nil }
        return record.hasFailed ? .attemptedUse : .use
    }

    /// Whether a failed call was refused because of the key's state (disabled, pending deletion).
    public static func isKeyStateRefusal(_ record: CloudTrailRecord) -> Bool {
        record.errorCode.map(keyStateErrorCodes.contains) ?? false
    }

    /// Who to name in a report: the role behind an assumed-role session, else the caller's ARN.
    ///
    /// Sessions of one role get new names every hour; grouping by the role keeps one line per application.
    public static func principal(of record: CloudTrailRecord) -> String {
        record.sessionIssuerARN.flatMap { $0.isEmpty ? nil : $0 } ?? record.principal
    }
}
