import Foundation

extension FindingsEvaluator {
    /// The findings CloudTrail's evidence gives: attempted use (block), successful use that
    /// GetKeyLastUsage missed (`key-recently-used`), and a CloudTrail that could not be read.
    static func cloudTrailFindings(keys: [PlannedKey], options: PlanOptions, evidence: EvidenceSummary?, now: Date) -> [Finding] {
        guard let evidence else { return [] }
        guard evidence.isAvailable else {
            let blind = options.observeDays > 0
            return [
                Finding(
                    code: .cloudTrailUnavailable, severity: blind ? .block : .warn, keyID: nil,
                    message:
                        "CloudTrail LookupEvents could not be read (\(evidence.unavailableReason ?? "unknown")): attempted use of the keys cannot be seen\(blind ? ", so the observation would be blind" : ""). Grant cloudtrail:LookupEvents, or accept with --accept cloudtrail-unavailable."
                )
            ]
        }
        var findings: [Finding] = []
        let until = iso(evidence.windowEnd)
        let limit = evidence.limitedByRetention ? " (CloudTrail keeps 90 days, so the window is shorter than --min-idle-days)" : ""
        let minIdle = options.minIdleDays * 86_400
        for key in keys.sorted(by: { $0.keyID < $1.keyID }) {
            guard let trail = key.cloudTrail else { continue }
            if let worst = trail.attempts.first {
                let total = trail.attempts.reduce(0) { $0 + $1.count }
                let others = trail.attempts.count > 1 ? "; \(trail.attempts.count - 1) more principal/operation line(s) in the plan" : ""
                findings.append(
                    Finding(
                        code: .keyUseAttempted, severity: .block, keyID: key.keyID,
                        message:
                            "Key \(key.keyID): \(total) failed call(s) in CloudTrail up to \(until)\(limit): \(describe(worst))\(others). Something still needs this key."
                    ))
            }
            let missed = key.usage.lastUsedAt.map { now.timeIntervalSince($0) >= minIdle } ?? true
            if missed, let last = trail.uses.max(by: { $0.lastTime < $1.lastTime }), now.timeIntervalSince(last.lastTime) < minIdle {
                findings.append(
                    Finding(
                        code: .keyRecentlyUsed, severity: .block, keyID: key.keyID,
                        message:
                            "Key \(key.keyID) was used per CloudTrail (GetKeyLastUsage did not show it): \(describe(last)), within --min-idle-days \(formatDays(options.minIdleDays)); something may still depend on it."
                    ))
            }
        }
        return findings
    }

    /// "arn:aws:iam::1:role/app Decrypt x12 (DisabledException), first ..., last ..., from 10.0.0.1".
    static func describe(_ use: PrincipalUse) -> String {
        let error = use.errorCode.map { " (\($0))" } ?? ""
        let sources = use.sourceIPs.isEmpty ? "unknown source" : use.sourceIPs.joined(separator: ", ")
        return "\(use.principal) \(use.operation) x\(use.count)\(error), first \(iso(use.firstTime)), last \(iso(use.lastTime)), from \(sources)"
    }

    static func iso(_ date: Date) -> String { ISO8601DateFormatter().string(from: date) }
}
