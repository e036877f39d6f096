import Foundation

/// One line of evidence: a principal's calls of one operation on a key, with one outcome.
public struct PrincipalUse: Codable, Sendable, Equatable {
    /// Who (`EvidenceRules.principal(of:)`): a role, user or service.
    public var principal: String
    /// The operation (`Decrypt`).
    public var operation: String
    /// The AWS error of the failed calls (`DisabledException`), nil for successful use.
    public var errorCode: String?
    /// How many calls.
    public var count: Int
    public var firstTime: Date
    public var lastTime: Date
    /// The source addresses seen, sorted (`sourceIPAddress`, or the calling service's name).
    public var sourceIPs: [String]
    /// The last error message seen, for the report.
    public var lastErrorMessage: String?

    public init(
        principal: String, operation: String, errorCode: String?, count: Int, firstTime: Date, lastTime: Date,
        sourceIPs: [String], lastErrorMessage: String? = nil
    ) {
        self.principal = principal
        self.operation = operation
        self.errorCode = errorCode
        self.count = count
        self.firstTime = firstTime
        self.lastTime = lastTime
        self.sourceIPs = sourceIPs
        self.lastErrorMessage = lastErrorMessage
    }

    /// Whether the calls were refused because of the key's state.
    public var isKeyStateRefusal: Bool { errorCode.map(EvidenceRules.keyStateErrorCodes.contains) ?? false }
}
