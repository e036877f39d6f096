import Foundation

/// The objects of one plan in a bucket: `NAME.json`, journal objects `NAME.journal/N.jsonl`,
/// audit records `NAME.audit/N.jsonl` and the lock `NAME.lock`.
///
/// Numbers are zero-padded to ten digits so key order (S3's listing order) is number order.
public struct S3PlanKeys: Sendable, Equatable {
    /// The plan object's key.
    public let plan: String
    /// `NAME.journal/`: one object per journal append.
    public let journalPrefix: String
    /// `NAME.audit/`: one object per audit record, hash-chained.
    public let auditPrefix: String
    /// `NAME.lock`: the lock object, created with `If-None-Match: *`.
    public let lock: String

    public init(plan: String) {
        self.plan = plan
        let base = plan.hasSuffix(".json") ? String(plan.dropLast(".json".count)) : plan
        journalPrefix = base + ".journal/"
        auditPrefix = base + ".audit/"
        lock = base + ".lock"
    }

    /// The key of journal object `number`.
    public func journal(_ number: Int) -> String { journalPrefix + Self.padded(number) + ".jsonl" }
    /// The key of audit record `seq`.
    public func audit(_ seq: Int) -> String { auditPrefix + Self.padded(seq) + ".jsonl" }

    /// The number in a journal or audit key under `prefix`, nil for any other key.
    public static func number(of key: String, under prefix: String) -> Int? {
        guard key.hasPrefix(prefix), key.hasSuffix(".jsonl") else { return nil }
        return Int(key.dropFirst(prefix.count).dropLast(".jsonl".count))
    }

    /// Whether `key` is a plan object directly under `prefix` (not a journal, audit or lock object).
    public static func isPlan(_ key: String, under prefix: String) -> Bool {
        guard key.hasPrefix(prefix), key.hasSuffix(".json") else { return false }
        return !key.dropFirst(prefix.count).contains("/")
    }

    static func padded(_ number: Int) -> String {
        let digits = String(number)
        return String(repeating: "0", count: max(0, 10 - digits.count)) + digits
    }
}
