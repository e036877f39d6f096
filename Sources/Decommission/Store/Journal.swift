import Foundation
import KMSAPI

/// The append-only journal beside a plan (`NAME.journal.jsonl`): one compact JSON line per step
/// transition, replayed over the plan on load and folded into it at phase ends.
public struct Journal: Sendable {
    /// The journal file's path.
    public let path: String

    public init(path: String) { self.path = path }

    /// Returns the journal path beside a plan file (`plans/x.json` → `plans/x.journal.jsonl`).
    public static func path(forPlan planPath: String) -> String {
        SiblingFile.path(forPlan: planPath, suffix: ".journal.jsonl")
    }

    /// What a journal holds: its records, and what had to be dropped to read it (for people).
    public struct Contents: Sendable, Equatable {
        public var records: [JournalRecord]
        public var warnings: [String]
    }

    /// The end of every line this build writes: `,"checksum":"<16 hex digits>"}`, the first 64
    /// bits of SHA-256 over the record's JSON without it. It tells a record that was altered
    /// (refused) from a tail that was never written whole (dropped).
    static let checksumDigits = 16
    private static let checksumPrefix = Data(#","checksum":""#.utf8)
    private static var checksumSuffixCount: Int { checksumPrefix.count + checksumDigits + 2 }

    /// Encodes records as journal lines, each with its checksum.
    public static func encode(_ records: [JournalRecord]) throws -> Data {
        let encoder = JSONCoding.makeCompactEncoder()
        var data = Data()
        for record in records {
            let json = try encoder.encode(record)
            data.append(json.dropLast())
            data.append(checksumPrefix)
            data.append(Data(checksum(json).utf8))
            data.append(Data(#""}"#.utf8))
            data.append(0x0A)
        }
        return data
    }

    private static func checksum(_ json: Data) -> String {
        String(SHA256.hash(json).hexString.prefix(checksumDigits))
    }

    /// Appends records; `durable` fsyncs before returning (an intent record before a change).
    /// - Returns: the number of bytes written.
    @discardableResult
    public func append(_ records: [JournalRecord], durable: Bool) throws -> Int {
        let data = try Self.encode(records)
        try AtomicFile.append(data, to: path, sync: durable)
        return data.count
    }

    /// Reads every record; see `readContents()`.
    public func read() throws -> [JournalRecord] {
        try readContents().records
    }

    /// Reads every record. A final line cut short (no newline) is ignored; a final line that is
    /// not a record at all (garbage a power loss left) is dropped with a warning: it was never
    /// acknowledged, since a change is sent only after its record is synced, so the step it
    /// concerned is reconciled from live state.
    /// - Throws: `DecommissionError` with `checkpoint.invalid-journal` for a damaged line before
    ///   the last, or any record whose checksum does not match.
    public func readContents() throws -> Contents {
        guard let data = try AtomicFile.read(path), !data.isEmpty else { return Contents(records: [], warnings: []) }
        return try Self.decode(data, path: path)
    }

    static func decode(_ data: Data, path: String) throws -> Contents {
        let decoder = JSONCoding.makeDecoder()
        let lines = data.split(separator: 0x0A, omittingEmptySubsequences: false)
        let endsWithNewline = data.last == 0x0A
        let lastLine = lines.lastIndex { !$0.isEmpty }
        var contents = Contents(records: [], warnings: [])
        for (index, line) in lines.enumerated() where !line.isEmpty {
            let number = index + 1
            let record: JournalRecord
            do {
                record = try decoder.decode(JournalRecord.self, from: Data(line))
            } catch {
                // Only the final line can be damaged by a crash or power loss; anything earlier is corruption.
                guard index == lastLine else {
                    throw DecommissionError(
                        code: .invalidJournal,
                        message: "Journal '\(path)' line \(number) is not a valid record; restore it or remove the journal and reconcile with 'apply --resume'.")
                }
                if endsWithNewline {
                    contents.warnings.append(
                        "Journal '\(path)' line \(number), its last, is not a record (left by a crash or power loss); it was dropped and the step it concerned is checked against live state.")
                }
                break
            }
            guard Self.checksumMatches(Data(line)) else {
                throw DecommissionError(
                    code: .invalidJournal,
                    message: "Journal '\(path)' line \(number) does not match its checksum: it was altered; restore it or remove the journal and reconcile with 'apply --resume'.")
            }
            contents.records.append(record)
        }
        return contents
    }

    /// Whether a record line's checksum matches; a line without one (written by v0.1) passes.
    static func checksumMatches(_ line: Data) -> Bool {
        let suffixCount = checksumSuffixCount
        guard line.count > suffixCount else { return true }
        let suffixStart = line.index(line.endIndex, offsetBy: -suffixCount)
        let suffix = line[suffixStart...]
        guard suffix.starts(with: checksumPrefix) else { return !line.contains(checksumPrefix) }
        let digits = suffix.dropFirst(checksumPrefix.count).prefix(checksumDigits)
        var json = Data(line[..<suffixStart])
        json.append(Data("}".utf8))
        return String(decoding: digits, as: UTF8.self) == checksum(json)
    }

    /// Empties the journal after its records were folded into the plan.
    public func truncate() throws {
        try AtomicFile.write(Data(), to: path)
    }

    /// Replays records over a plan's steps, ignoring records for unknown steps.
    public static func replay(_ records: [JournalRecord], onto plan: inout Plan) {
        var index: [StepID: Int] = [:]
        for (offset, step) in plan.steps.enumerated() { index[step.id] = offset }
        // File order is append order, which is what counts (seq restarts are harmless).
        for record in records {
            guard let offset = index[record.stepID] else { continue }
            record.apply(to: &plan.steps[offset])
        }
    }
}
