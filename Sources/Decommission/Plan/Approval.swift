import Foundation

/// Who approved a plan, when and how.
public struct Approval: Codable, Sendable, Equatable {
    /// How approval was given.
    public enum Method: String, Codable, Sendable {
        case prompt, fingerprint
    }
    public var approvedAt: Date
    public var method: Method
    public var fingerprint: String
    /// The local user and host, for the change record (no credentials).
    public var approvedBy: String?
    public init(approvedAt: Date, method: Method, fingerprint: String, approvedBy: String?) {
        self.approvedAt = approvedAt
        self.method = method
        self.fingerprint = fingerprint
        self.approvedBy = approvedBy
    }
}
