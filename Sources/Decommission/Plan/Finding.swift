import Foundation

/// A safety finding about the store or one key.
public struct Finding: Codable, Sendable, Equatable {
    /// How serious a finding is.
    public enum Severity: String, Codable, Sendable, Comparable {
        case block, warn, info
        private var rank: Int { self == .block ? 0 : self == .warn ? 1 : 2 }
        public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
    }

    public var code: FindingCode
    public var severity: Severity
    public var keyID: String?
    public var message: String
    /// Whether `--accept` waived this finding (only blocking findings are waived).
    public var waived: Bool

    public init(code: FindingCode, severity: Severity, keyID: String?, message: String, waived: Bool = false) {
        self.code = code
        self.severity = severity
        self.keyID = keyID
        self.message = message
        self.waived = waived
    }

    enum CodingKeys: String, CodingKey { case code, severity, keyID = "keyId", message, waived }
}
