import Foundation

/// One line of a plan's journal: a step's progress after a transition.
public struct JournalRecord: Codable, Sendable, Equatable {
    public var seq: Int
    public var time: Date
    public var stepID: StepID
    public var status: StepStatus
    public var attempts: Int
    public var notBefore: Date?
    public var startedAt: Date?
    public var finishedAt: Date?
    public var result: StepResult?
    public var error: StepError?

    /// Makes the record that snapshots a step's progress.
    public init(seq: Int, time: Date, step: Step) {
        self.seq = seq
        self.time = time
        self.stepID = step.id
        self.status = step.status
        self.attempts = step.attempts
        self.notBefore = step.notBefore
        self.startedAt = step.startedAt
        self.finishedAt = step.finishedAt
        self.result = step.result
        self.error = step.error
    }

    enum CodingKeys: String, CodingKey {
        case seq, time, stepID = "stepId", status, attempts, notBefore, startedAt, finishedAt, result, error
    }

    /// Copies the recorded progress onto a step (replay is idempotent: records are snapshots).
    public func apply(to step: inout Step) {
        step.status = status
        step.attempts = attempts
        step.notBefore = notBefore
        step.startedAt = startedAt
        step.finishedAt = finishedAt
        step.result = result
        step.error = error
    }
}

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

    /// Encodes records as journal lines.
    public static func encode(_ records: [JournalRecord]) throws -> Data {
        let encoder = JSONCoding.makeCompactEncoder()
        var data = Data()
        for record in records {
            data.append(try encoder.encode(record))
            data.append(0x0A)
        }
        return data
    }

    /// Appends records; `durable` fsyncs before returning (an intent record before a change).
    /// - Returns: the number of bytes written.
    @discardableResult
    public func append(_ records: [JournalRecord], durable: Bool) throws -> Int {
        let data = try Self.encode(records)
        try AtomicFile.append(data, to: path, sync: durable)
        return data.count
    }

    /// Reads every complete record; a torn last line (a crash mid-append) is ignored.
    /// - Throws: `DecommissionError` with `checkpoint.invalid-journal` when a line before the last
    ///   is not a record.
    public func read() throws -> [JournalRecord] {
        guard let data = try AtomicFile.read(path), !data.isEmpty else { return [] }
        return try Self.decode(data, path: path)
    }

    static func decode(_ data: Data, path: String) throws -> [JournalRecord] {
        let decoder = JSONCoding.makeDecoder()
        let lines = data.split(separator: 0x0A, omittingEmptySubsequences: false)
        let endsWithNewline = data.last == 0x0A
        var records: [JournalRecord] = []
        for (index, line) in lines.enumerated() where !line.isEmpty {
            // A line without its newline was cut short by a crash mid-append.
            let isTorn = index == lines.count - 1 && !endsWithNewline
            do {
                records.append(try decoder.decode(JournalRecord.self, from: Data(line)))
            } catch {
                // Only the final line can be torn by a crash; anything earlier is corruption.
                if isTorn { break }
                throw DecommissionError(
                    code: .invalidJournal,
                    message: "Journal '\(path)' line \(index + 1) is not a valid record; restore it or remove the journal and reconcile with 'apply --resume'.")
            }
        }
        return records
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

/// Names the files kept beside a plan.
enum SiblingFile {
    static func path(forPlan planPath: String, suffix: String) -> String {
        let base = planPath.hasSuffix(".json") ? String(planPath.dropLast(5)) : planPath
        return base + suffix
    }
}
