import Foundation
import KMSAPI

/// Why a step failed, or what drift stopped it.
public struct StepError: Codable, Sendable, Equatable {
    /// The error's stable code: a `DecommissionError.Code` or a `KMSError.Code`, as recorded.
    public var code: String
    public var message: String
    public var awsErrorType: String?
    public var requestID: String?
    /// The differences from live state that stopped the step (nil unless it found drift).
    public var drift: [DriftItem]?

    public init(code: String, message: String, awsErrorType: String? = nil, requestID: String? = nil) {
        self.code = code
        self.message = message
        self.awsErrorType = awsErrorType
        self.requestID = requestID
    }

    /// An error with one of this module's codes.
    public init(_ code: DecommissionError.Code, message: String) {
        self.init(code: code.rawValue, message: message)
    }

    /// The record of drift found by a step.
    public init(drift items: [DriftItem]) {
        self.init(.drift, message: "Drift: " + items.map(\.description).joined(separator: "; ") + ".")
        self.drift = items
    }

    /// Whether this records drift (the step stopped the run; the plan is blocked).
    public var isDrift: Bool { drift != nil }

    enum CodingKeys: String, CodingKey { case code, message, awsErrorType, requestID = "requestId", drift }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        code = try container.decode(String.self, forKey: .code)
        message = try container.decode(String.self, forKey: .message)
        awsErrorType = try container.decodeIfPresent(String.self, forKey: .awsErrorType)
        requestID = try container.decodeIfPresent(String.self, forKey: .requestID)
        drift = try container.decodeIfPresent([DriftItem].self, forKey: .drift)
        // Plans written by v0.1 recorded drift by its code alone.
        if drift == nil, code == DecommissionError.Code.drift.rawValue { drift = [] }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(code, forKey: .code)
        try container.encode(message, forKey: .message)
        try container.encodeIfPresent(awsErrorType, forKey: .awsErrorType)
        try container.encodeIfPresent(requestID, forKey: .requestID)
        // An empty list is a v0.1 record read back: written as it was read.
        if let drift, !drift.isEmpty { try container.encode(drift, forKey: .drift) }
    }
}
