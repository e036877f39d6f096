import Foundation
import KMSAPI

/// Reads one key's CloudTrail events over a window, page by page, into a `KeyUseSummary`.
///
/// Each page is folded in as it arrives; `onPage` receives the summary and the `NextToken` after
/// it, so a caller can checkpoint a long sweep and resume it from the token.
public struct EvidenceSweeper: Sendable {
    public let source: CloudTrailEvidenceSource

    public init(source: CloudTrailEvidenceSource) { self.source = source }

    /// Sweeps one key.
    /// - Parameters:
    ///   - resumingAt: a saved `NextToken` and the summary read up to it, to continue a sweep.
    ///   - extending: a summary of an earlier window that `window` continues (a resumed plan's gap):
    ///     the pages read are folded into it, and its window is widened to end where `window` ends.
    ///   - onPage: called after every page with the summary so far and the next token (nil at the end).
    /// - Throws: `KMSError` from `LookupEvents` (see `isUnavailable(_:)`), `CancellationError`.
    public func sweep(
        keyARN: String, window: EvidenceWindow, resumingAt: (token: String, summary: KeyUseSummary)? = nil,
        extending earlier: KeyUseSummary? = nil, onPage: @Sendable (KeyUseSummary, String?) async throws -> Void = { _, _ in }
    ) async throws -> KeyUseSummary {
        var summary = resumingAt?.summary ?? KeyUseSummary(keyARN: keyARN, window: window)
        if let earlier {
            summary = earlier
            summary.window = EvidenceWindow(
                start: min(earlier.window.start, window.start), end: max(earlier.window.end, window.end),
                requestedStart: window.requestedStart)
        }
        guard !window.isEmpty else { return summary }
        var request = window.lookupRequest(keyARN: keyARN)
        request.nextToken = resumingAt?.token
        while true {
            try Task.checkCancellation()
            let page = try await source.gateway.lookupEvents(request)
            summary.add((page.events ?? []).map(\.record), rules: source.rules)
            let next = page.nextToken.flatMap { $0.isEmpty ? nil : $0 }
            try await onPage(summary, next)
            guard let next else { return summary }
            request.nextToken = next
        }
    }

    /// Whether a failure means CloudTrail cannot be read here (denied, unreachable, throttled past
    /// retries): the plan records `cloudtrail-unavailable` rather than failing.
    public static func isUnavailable(_ error: any Error) -> Bool {
        guard let error = error as? KMSError else { return false }
        switch error.code {
        case .accessDenied, .authenticationFailed, .throttled, .serviceUnavailable, .serviceError, .invalidResponse,
            .connectionRefused, .connectionLost, .timeout, .hostNotFound, .tlsFailed, .transportFailed:
            return true
        default:
            return false
        }
    }

    /// The reason an unavailable CloudTrail gives, for the finding (AWS error name kept).
    public static func reason(_ error: any Error) -> String {
        guard let error = error as? KMSError else { return String(describing: error) }
        return "\(error.awsErrorType ?? error.code.rawValue): \(error.message)"
    }
}
