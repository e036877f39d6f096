import Foundation
import KMSAPI

/// Reads the gap of many resumed keys at once: every KMS key event of the account and Region
/// over the gap (`ResourceType` `AWS::KMS::Key`), within a page budget.
///
/// A resumed plan must read, for each key swept before, the time since its saved window ended.
/// One lookup per key would cost as much as the first sweep when keys have one page of events;
/// the gap of a few minutes or hours usually holds a few pages for the whole account. When it
/// holds more than `pageBudget` pages (a busy account), nil is returned and each key's gap is
/// read on its own, so the resume never costs much more than a fresh sweep.
public struct SharedGapSweep: Sendable {
    public let source: CloudTrailEvidenceSource

    public init(source: CloudTrailEvidenceSource) { self.source = source }

    /// The records of every KMS key event in `window`, or nil past `pageBudget` pages.
    /// - Throws: `KMSError` from `LookupEvents`, `CancellationError`.
    public func records(in window: EvidenceWindow, pageBudget: Int) async throws -> [CloudTrailRecord]? {
        guard !window.isEmpty else { return [] }
        var request = LookupEventsRequest(
            lookupAttributes: [LookupAttribute(.resourceType, Self.keyResourceType)], startTime: window.start, endTime: window.end,
            maxResults: LookupEvents.maxResultsLimit)
        var records: [CloudTrailRecord] = []
        for _ in 0..<max(1, pageBudget) {
            try Task.checkCancellation()
            let page = try await source.gateway.lookupEvents(request)
            records += (page.events ?? []).map(\.record)
            guard let next = page.nextToken, !next.isEmpty else { return records }
            request.nextToken = next
        }
        return nil
    }

    /// Folds the gap's records about `summary`'s key, after `savedEnd`, into it, and widens its
    /// window to `end`. Records that name no resource are left out: a key's own lookup would not
    /// have returned them either.
    public static func fold(
        _ records: [CloudTrailRecord], into summary: inout KeyUseSummary, after savedEnd: Date, end: Date, rules: EvidenceRules
    ) {
        summary.window = EvidenceWindow(start: summary.window.start, end: max(summary.window.end, end), requestedStart: summary.window.requestedStart)
        let mine = records.filter { record in
            guard let time = record.eventTime, time > savedEnd else { return false }
            return record.resourceARNs.contains(summary.keyARN)
        }
        summary.add(mine, rules: rules)
    }

    /// CloudTrail's resource type of a KMS key.
    public static let keyResourceType = "AWS::KMS::Key"
}
