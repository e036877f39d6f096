import Foundation

/// Renders the review summary of a plan for a change ticket (pure): the store, a key table, the
/// findings by severity, the steps, the dates, the fingerprint and the verdict.
public enum PlanSummaryRenderer {
    /// Returns the summary as lines of text ending in a newline; ANSI colour only when `color`.
    public static func render(_ plan: Plan, now: Date, color: Bool) -> String {
        let style = Style(enabled: color)
        var lines: [String] = []
        let target = plan.target

        // MARK: - Store
        lines.append(style.bold("Custom key store \(target.keyStoreID)"))
        var store: [(String, String)] = [
            ("Name", target.keyStoreName ?? "-"),
            ("Type", target.keyStoreType.rawValue),
        ]
        if target.isCloudHSM {
            store.append(("Cluster", target.cloudHsmClusterID ?? "-"))
        } else {
            let proxy = target.xksProxy
            let location = [proxy?.uriEndpoint.map { $0 + (proxy?.uriPath ?? "") }, proxy?.vpcEndpointServiceName].compactMap { $0 }
            store.append(("Proxy", ([proxy?.connectivity?.rawValue].compactMap { $0 } + location).joined(separator: " ")))
        }
        let connection = target.connectionState.rawValue + (target.connectionErrorCode.map { " (\($0))" } ?? "")
        store.append(("Connection", connection))
        store.append(("Account", target.accountID ?? "unknown (the store holds no keys)"))
        store.append(("Region", target.region))
        store.append(("Endpoint", target.endpoint))
        store.append(("Plan", "\(plan.planID), created \(SummaryFormat.dateTime(plan.createdAt)) by decommission \(plan.toolVersion)"))
        let labelWidth = store.map(\.0.count).max() ?? 0
        lines += store.map { "  \(SummaryFormat.pad($0.0 + ":", labelWidth + 1)) \($0.1)" }

        // MARK: - Keys
        lines.append("")
        lines.append(style.bold("Keys (\(plan.keys.count))"))
        if plan.keys.isEmpty {
            lines.append("  none: only the store is deleted")
        } else {
            let header = ["KEY ID", "ALIASES", "STATE", "CREATED", "LAST USED", "GRANTS"]
            let rows = plan.keys.map { key in
                [
                    key.keyID, key.aliases.isEmpty ? "-" : key.aliases.joined(separator: ","),
                    key.state.rawValue + (key.deletionDate.map { " until \(SummaryFormat.date($0))" } ?? ""),
                    key.creationDate.map(SummaryFormat.date) ?? "-", lastUsed(key.usage), String(key.grantCount),
                ]
            }
            lines += SummaryFormat.table(header: header, rows: rows, rightAligned: [5]).enumerated().map {
                "  " + ($0.offset == 0 ? style.dim($0.element) : $0.element)
            }
        }

        // MARK: - Findings
        lines.append("")
        lines.append(style.bold("Findings (\(plan.findings.count))"))
        for entry in groupedFindings(plan.findings) {
            let label = SummaryFormat.pad(entry.severity.rawValue.uppercased(), 5)
            let tag: String
            switch entry.severity {
            case .block: tag = entry.waived ? style.yellow(label) : style.red(label)
            case .warn: tag = style.yellow(label)
            case .info: tag = style.cyan(label)
            }
            let waived = entry.waived ? " " + style.bold("[waived]") : ""
            lines.append("  \(tag) \(entry.code.rawValue)\(waived): \(entry.message)")
        }

        if let evidence = plan.evidence {
            lines.append("")
            lines.append(style.bold("CloudTrail"))
            if let reason = evidence.unavailableReason {
                lines.append("  Not read: \(reason)")
            } else {
                let limit = evidence.limitedByRetention ? " (CloudTrail keeps 90 days: shorter than --min-idle-days)" : ""
                lines.append(
                    "  \(evidence.eventsRead) event(s) of \(evidence.keysRead) key(s) read, \(SummaryFormat.dateTime(evidence.windowStart)) to \(SummaryFormat.dateTime(evidence.windowEnd))\(limit)")
            }
            let options = plan.options
            lines.append(
                "  Guard: \(FindingsEvaluator.formatDays(options.effectiveGuardHours)) h before each DeletionDate\(options.effectiveCancelOnUse ? ", cancelling on use" : ""); lag \(FindingsEvaluator.formatDays(options.cloudTrailLag / 60)) min")
        }

        // MARK: - Steps and dates
        lines.append("")
        lines.append(style.bold("Steps (\(plan.steps.count))"))
        var counts: [StepAction: Int] = [:]
        for step in plan.steps { counts[step.action, default: 0] += 1 }
        let actions = StepAction.allCases.filter { counts[$0] != nil }
        let actionWidth = actions.map(\.rawValue.count).max() ?? 0
        lines += actions.map { "  \(SummaryFormat.pad($0.rawValue, actionWidth)) \(counts[$0] ?? 0)" }

        let timeline = PlanTimeline.compute(plan, now: now)
        lines.append("")
        lines.append(style.bold("Dates"))
        let noReturn = timeline.earliestPointOfNoReturn.map { "\(SummaryFormat.dateTime($0)) (\(SummaryFormat.relative($0, from: now)))" } ?? "none (no keys)"
        lines.append("  Earliest point of no return: \(noReturn)")
        let completion = timeline.expectedCompletion.map { "\(SummaryFormat.dateTime($0)) (\(SummaryFormat.relative($0, from: now)))" } ?? "none (cancelled)"
        lines.append("  Expected completion:         \(completion)")

        // MARK: - Fingerprint and verdict
        lines.append("")
        lines.append("Fingerprint: \(plan.fingerprint)")
        let unwaived = plan.findings.filter { $0.severity == .block && !$0.waived }.count
        if plan.blocked {
            lines.append(
                style.red(style.bold("BLOCKED"))
                    + ": \(unwaived) unwaived blocking finding\(unwaived == 1 ? "" : "s"); resolve \(unwaived == 1 ? "it" : "them") or waive with --accept CODE[:KEY], then plan again.")
        } else {
            lines.append(
                style.green(style.bold("READY"))
                    + ": review, then approve with 'decommission apply PLAN --approve \(plan.fingerprint.prefix(12))'.")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func lastUsed(_ usage: UsageEvidence) -> String {
        switch usage.verdict {
        case .used:
            let when = usage.lastUsedAt.map(SummaryFormat.dateTime) ?? "unknown time"
            return usage.operation.map { "\(when) \($0)" } ?? when
        case .neverUsed:
            return "never"
        case .unknownBeforeTracking:
            return "unknown before " + (usage.trackingStartDate.map(SummaryFormat.date) ?? "tracking")
        }
    }
}

/// ANSI styling that is the identity when disabled.
private struct Style {
    let enabled: Bool
    private func wrap(_ text: String, _ code: String) -> String { enabled ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }
    func bold(_ text: String) -> String { wrap(text, "1") }
    func dim(_ text: String) -> String { wrap(text, "2") }
    func red(_ text: String) -> String { wrap(text, "31") }
    func green(_ text: String) -> String { wrap(text, "32") }
    func yellow(_ text: String) -> String { wrap(text, "33") }
    func cyan(_ text: String) -> String { wrap(text, "36") }
}

extension PlanSummaryRenderer {
    /// One line of the findings section.
    private struct FindingLine {
        var code: FindingCode
        var severity: Finding.Severity
        var waived: Bool
        var message: String
    }

    /// Groups warnings and notes that repeat for many keys into one line, so a store of thousands
    /// of keys still gives a summary a person can read; blocking findings are always listed one
    /// by one, since each needs a decision. The plan file keeps every finding.
    private static func groupedFindings(_ findings: [Finding]) -> [FindingLine] {
        let sorted = findings.sorted { $0.severity < $1.severity }
        var perCode: [FindingCode: [Finding]] = [:]
        for finding in sorted where finding.severity != .block && finding.keyID != nil {
            perCode[finding.code, default: []].append(finding)
        }
        var emitted = Set<FindingCode>()
        var lines: [FindingLine] = []
        for finding in sorted {
            if let group = perCode[finding.code], group.count > groupThreshold, let summary = groupSummaries[finding.code] {
                guard emitted.insert(finding.code).inserted else { continue }
                let ids = group.compactMap(\.keyID)
                let shown = ids.prefix(3).joined(separator: ", ")
                lines.append(
                    FindingLine(
                        code: finding.code, severity: finding.severity, waived: false,
                        message: "\(ids.count) keys \(summary) (\(shown), and \(ids.count - 3) more; each is listed in the plan file)."))
                continue
            }
            lines.append(FindingLine(code: finding.code, severity: finding.severity, waived: finding.waived, message: finding.message))
        }
        return lines
    }

    /// Above this many keys, a repeated warning or note is shown as one line.
    static let groupThreshold = 3

    private static let groupSummaries: [FindingCode: String] = [
        .keyEnabledNoObservation: "are Enabled and the plan has no observation phase; consider --observe-days",
        .keyHasAliases: "have aliases, which are deleted with their key",
        .keyHasGrants: "have grants through which principals or AWS services may use them",
        .usageUnknownBeforeTracking: "are older than usage tracking and show no recorded use; check CloudTrail",
        .keyAlreadyPendingDeletion: "are already pending deletion; their DeletionDates are kept",
    ]
}
