import Foundation

/// Turns the discovered store and keys into safety findings, and applies `--accept` waivers (pure).
public enum FindingsEvaluator {
    /// Returns the findings, most severe first, then by key.
    public static func evaluate(
        target: PlanTarget, keys: [PlannedKey], options: PlanOptions, now: Date, evidence: EvidenceSummary? = nil
    ) -> [Finding] {
        var findings: [Finding] = []
        let isCloudHSM = target.isCloudHSM

        switch target.connectionState {
        case .failed:
            findings.append(
                Finding(
                    code: .storeFailed, severity: .block, keyID: nil,
                    message:
                        "Store \(target.keyStoreID) is FAILED (\(target.connectionErrorCode?.rawValue ?? "no error code")); its keys are Unavailable and, for CloudHSM, KMS cannot delete their key material. Repair and reconnect it first, or accept with --accept store-failed."
                ))
        case .connected, .connecting:
            break
        default:
            if isCloudHSM {
                if StepGraphBuilder.needsConnect(target: target, options: options) {
                    findings.append(
                        Finding(
                            code: .storeNotConnected, severity: .info, keyID: nil,
                            message:
                                "Store \(target.keyStoreID) is \(target.connectionState); the plan connects it first (--connect) so KMS can delete key material from the cluster."
                        ))
                } else {
                    findings.append(
                        Finding(
                            code: .storeNotConnected, severity: .warn, keyID: nil,
                            message:
                                "Store \(target.keyStoreID) is \(target.connectionState): KMS cannot delete key material from a disconnected cluster, so it would be orphaned in the HSMs. Re-plan with --connect to connect it first."
                        ))
                }
            }
        }

        if keys.isEmpty {
            findings.append(
                Finding(code: .storeEmpty, severity: .info, keyID: nil, message: "Store \(target.keyStoreID) holds no KMS keys; only the store is deleted."))
        }

        let minIdle = options.minIdleDays * 86_400
        for key in keys.sorted(by: { $0.keyID < $1.keyID }) {
            findings += keyFindings(key, options: options, minIdleSeconds: minIdle, now: now)
        }
        findings += cloudTrailFindings(keys: keys, options: options, evidence: evidence, now: now)

        if isCloudHSM {
            let arns = abbreviated(keys.map(\.arn).sorted())
            findings.append(
                Finding(
                    code: .hsmResidue, severity: .info, keyID: nil,
                    message:
                        "Cluster \(target.cloudHsmClusterID ?? "unknown") keeps its HSMs, the kmsuser crypto user and its backups. KMS labels each key's material with the key ARN (\(arns)); check CloudTrail DeleteKey events for backingKeysDeletionStatus FAILURE, and delete backups taken after the keys were created to purge the material."
                ))
        } else {
            findings.append(
                Finding(
                    code: .xksResidue, severity: .info, keyID: nil,
                    message:
                        "The external keys (\(abbreviated(keys.compactMap(\.xksKeyID).sorted()))), the proxy at \(target.xksProxy?.uriEndpoint ?? "unknown") and any VPC endpoint service are untouched; retire them separately once the store is deleted."
                ))
        }
        return findings.sorted { ($0.severity, $0.keyID ?? "", $0.code.rawValue) < ($1.severity, $1.keyID ?? "", $1.code.rawValue) }
    }

    private static func keyFindings(_ key: PlannedKey, options: PlanOptions, minIdleSeconds: Double, now: Date) -> [Finding] {
        var findings: [Finding] = []
        let id = key.keyID
        if key.wasPendingDeletion {
            let date = key.deletionDate.map { ISO8601DateFormatter().string(from: $0) } ?? "unknown"
            findings.append(
                Finding(
                    code: .keyAlreadyPendingDeletion, severity: .info, keyID: id,
                    message: "Key \(id) is already pending deletion (DeletionDate \(date)); that date is kept and the key is not rescheduled."))
        }
        switch key.usage.verdict {
        case .used:
            if let last = key.usage.lastUsedAt, now.timeIntervalSince(last) < minIdleSeconds {
                let days = max(0, now.timeIntervalSince(last) / 86_400)
                findings.append(
                    Finding(
                        code: .keyRecentlyUsed, severity: .block, keyID: id,
                        message:
                            "Key \(id) was used (\(key.usage.operation ?? "a cryptographic operation")) \(String(format: "%.1f", days)) days ago, within --min-idle-days \(formatDays(options.minIdleDays)); something may still depend on it."
                    ))
            }
        case .unknownBeforeTracking:
            let start = key.usage.trackingStartDate.map { ISO8601DateFormatter().string(from: $0) } ?? "unknown"
            findings.append(
                Finding(
                    code: .usageUnknownBeforeTracking, severity: .warn, keyID: id,
                    message:
                        "Key \(id) has no recorded use since usage tracking began (\(start)), but it is older than that: earlier use is possible; check CloudTrail."
                ))
        case .neverUsed:
            break
        }
        if key.grantCount > 0 {
            findings.append(
                Finding(
                    code: .keyHasGrants, severity: .warn, keyID: id,
                    message: "Key \(id) has \(key.grantCount) grant(s); a principal or AWS service may use it through them."))
        }
        if !key.aliases.isEmpty {
            findings.append(
                Finding(
                    code: .keyHasAliases, severity: .info, keyID: id,
                    message: "Key \(id) has aliases \(key.aliases.joined(separator: ", ")); they are deleted with the key."))
        }
        if key.state == .enabled, options.observeDays <= 0 {
            findings.append(
                Finding(
                    code: .keyEnabledNoObservation, severity: .warn, keyID: id,
                    message:
                        "Key \(id) is Enabled and the plan has no observation phase; consider --observe-days to disable it first and watch for failures."
                ))
        }
        return findings
    }

    /// Marks the blocking findings that `--accept` waives.
    /// - Throws: `DecommissionError` with `plan.invalid-waiver` for an unknown code, a code that is
    ///   not blocking, or a waiver that matches no finding (a typo must not pass silently).
    public static func applyWaivers(_ accepted: [String], to findings: [Finding]) throws -> [Finding] {
        var result = findings
        for argument in accepted {
            let parts = argument.split(separator: ":", maxSplits: 1).map(String.init)
            guard let first = parts.first, let code = FindingCode(rawValue: first) else {
                let known = FindingCode.allCases.map(\.rawValue).joined(separator: ", ")
                throw DecommissionError(code: .invalidWaiver, message: "--accept '\(argument)' names no known finding code; known codes: \(known).")
            }
            let keyID = parts.count > 1 ? parts[1] : nil
            var matched = false
            for index in result.indices where result[index].code == code {
                guard keyID == nil || result[index].keyID == keyID else { continue }
                guard result[index].severity == .block else {
                    throw DecommissionError(
                        code: .invalidWaiver, message: "--accept '\(argument)': finding '\(code.rawValue)' is not blocking, so there is nothing to waive.")
                }
                result[index].waived = true
                matched = true
            }
            if !matched {
                throw DecommissionError(
                    code: .invalidWaiver,
                    message: "--accept '\(argument)' matches no finding of this plan\(keyID.map { " for key \($0)" } ?? ""); check the code and key id.")
            }
        }
        return result
    }

    /// Lists up to three values and counts the rest, so a message stays one readable line; the
    /// plan's keys hold every ARN and external key id.
    static func abbreviated(_ values: [String]) -> String {
        if values.isEmpty { return "none" }
        if values.count <= 3 { return values.joined(separator: ", ") }
        return values.prefix(3).joined(separator: ", ") + ", and \(values.count - 3) more listed with the plan's keys"
    }

    static func formatDays(_ days: Double) -> String {
        days == days.rounded() ? String(Int(days)) : String(days)
    }
}
