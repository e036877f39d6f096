import Foundation

/// The identifier of a plan step, such as `schedule-deletion-1234abcd-...`.
public struct StepID: RawRepresentable, Hashable, Comparable, Codable, Sendable, CustomStringConvertible {
    public let rawValue: String

    /// Creates an identifier, or nil unless it matches `[a-z0-9][a-z0-9-]*`.
    public init?(rawValue: String) {
        guard let first = rawValue.unicodeScalars.first, Self.isAllowed(first), first != "-",
            rawValue.unicodeScalars.allSatisfy(Self.isAllowed)
        else { return nil }
        self.rawValue = rawValue
    }

    /// Makes the identifier of a step of a fixed kind, such as `verify-store`.
    static func fixed(_ action: StepAction) -> StepID {
        StepID(validated: action.rawValue)
    }

    /// Makes the identifier of a per-key step; key ids are lowercased and stripped of anything
    /// outside `[a-z0-9-]` so the result is always valid.
    static func forKey(_ action: StepAction, keyID: String) -> StepID {
        let cleaned = String(keyID.lowercased().unicodeScalars.filter(Self.isAllowed).map(Character.init))
        return StepID(validated: "\(action.rawValue)-\(cleaned)")
    }

    private init(validated: String) { self.rawValue = validated }

    private static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "-"
    }

    public var description: String { rawValue }
    public static func < (lhs: StepID, rhs: StepID) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        let raw = try decoder.singleValueContainer().decode(String.self)
        guard let id = StepID(rawValue: raw) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "Step id '\(raw)' is not of the form [a-z0-9][a-z0-9-]*."))
        }
        self = id
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
