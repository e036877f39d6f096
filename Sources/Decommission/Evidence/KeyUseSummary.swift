import Foundation
import KMSAPI

/// The CloudTrail evidence about one key over one window: attempted and successful use, per principal.
///
/// Built page by page with `add(_:)`, so a sweep can fold each page in as it arrives and
/// checkpoint the summary with the page's `NextToken`.
public struct KeyUseSummary: Sendable, Equatable {
    /// The key the evidence is about.
    public var keyARN: String
    /// The window read.
    public var window: EvidenceWindow
    /// Failed cryptographic or grant calls, newest last call first.
    public private(set) var attempts: [PrincipalUse]
    /// Successful cryptographic or grant calls, newest last call first.
    public private(set) var uses: [PrincipalUse]
    /// Every event read for the key, evidence or not (duplicates excluded).
    public private(set) var eventsRead: Int
    /// Events that were the tool's own calls.
    public private(set) var ownCalls: Int
    /// Events skipped: outside the window, about another key, or without a time.
    public private(set) var skipped: Int

    private var seenEventIDs: Set<String> = []

    /// Starts an empty summary.
    public init(keyARN: String, window: EvidenceWindow) {
        self.keyARN = keyARN
        self.window = window
        self.attempts = []
        self.uses = []
        self.eventsRead = 0
        self.ownCalls = 0
        self.skipped = 0
    }

    /// Rebuilds a summary saved by a checkpoint.
    public init(
        keyARN: String, window: EvidenceWindow, attempts: [PrincipalUse], uses: [PrincipalUse], eventsRead: Int,
        ownCalls: Int, skipped: Int
    ) {
        self.init(keyARN: keyARN, window: window)
        self.attempts = attempts
        self.uses = uses
        self.eventsRead = eventsRead
        self.ownCalls = ownCalls
        self.skipped = skipped
    }

    /// Whether anything tried to use the key and failed.
    public var hasAttemptedUse: Bool { !attempts.isEmpty }
    /// Whether anything used the key successfully.
    public var hasUse: Bool { !uses.isEmpty }
    /// The last time of any attempted use.
    public var lastAttemptAt: Date? { attempts.map(\.lastTime).max() }
    /// The last time of any successful use.
    public var lastUseAt: Date? { uses.map(\.lastTime).max() }

    /// Folds in the records of one page.
    public mutating func add(_ records: [CloudTrailRecord], rules: EvidenceRules) {
        for record in records { add(record, rules: rules) }
    }

    /// Folds in one record; a record already seen (same `eventID`) is ignored.
    public mutating func add(_ record: CloudTrailRecord, rules: EvidenceRules) {
        if let id = record.eventID, !seenEventIDs.insert(id).inserted { return }
        eventsRead += 1
        guard let time = record.eventTime, window.contains(time), concernsKey(record) else {
            skipped += 1
            return
        }
        if rules.tool.isOwnCall(record) {
            ownCalls += 1
            return
        }
        guard let kind = rules.classify(record) else { return }
        switch kind {
        case .attemptedUse: Self.merge(record, at: time, into: &attempts)
        case .use: Self.merge(record, at: time, into: &uses)
        }
    }

    /// A record is about this key unless it lists resources and this key is not among them.
    private func concernsKey(_ record: CloudTrailRecord) -> Bool {
        if record.resourceARNs.isEmpty { return true }
        return record.resourceARNs.contains(keyARN)
    }

    private static func merge(_ record: CloudTrailRecord, at time: Date, into lines: inout [PrincipalUse]) {
        let principal = EvidenceRules.principal(of: record)
        let operation = record.eventName ?? "unknown"
        let errorCode = record.hasFailed ? record.errorCode : nil
        let source = record.sourceIPAddress.flatMap { $0.isEmpty ? nil : $0 }
        if let index = lines.firstIndex(where: { $0.principal == principal && $0.operation == operation && $0.errorCode == errorCode }) {
            var line = lines[index]
            line.count += 1
            line.firstTime = min(line.firstTime, time)
            if time >= line.lastTime, record.errorMessage != nil { line.lastErrorMessage = record.errorMessage }
            line.lastTime = max(line.lastTime, time)
            if let source, !line.sourceIPs.contains(source) { line.sourceIPs = (line.sourceIPs + [source]).sorted() }
            lines[index] = line
        } else {
            lines.append(
                PrincipalUse(
                    principal: principal, operation: operation, errorCode: errorCode, count: 1, firstTime: time,
                    lastTime: time, sourceIPs: source.map { [$0] } ?? [], lastErrorMessage: record.errorMessage))
        }
        lines.sort { ($0.lastTime, $0.count, $1.principal) > ($1.lastTime, $1.count, $0.principal) }
    }
}
