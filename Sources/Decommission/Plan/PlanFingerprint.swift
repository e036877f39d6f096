import Foundation
import KMSAPI

/// Computes a plan's fingerprint: SHA-256 over a canonical encoding of its intent.
///
/// The intent is what a reviewer approves (target, options, keys with their evidence, findings
/// and waivers, and the step graph), not the progress (step status, attempts, dates learned while
/// running, approval, cancellation). The canonical encoding is JSON with sorted keys, no
/// whitespace and ISO-8601 dates, so it is the same on every platform and run.
public enum PlanFingerprint {
    /// Returns the 64-digit lowercase hex fingerprint of a plan's intent.
    public static func compute(_ plan: Plan) -> String {
        let intent = Intent(
            schemaVersion: plan.schemaVersion, kind: plan.kind, planID: plan.planID, createdAt: plan.createdAt,
            toolVersion: plan.toolVersion, target: plan.target, options: plan.options, keys: plan.keys,
            findings: plan.findings, evidence: plan.evidence, blocked: plan.blocked,
            steps: plan.steps.map { IntentStep(id: $0.id, action: $0.action, keyID: $0.keyID, dependsOn: $0.dependsOn) })
        // Encoding plain Codable structs of strings, numbers and dates cannot fail.
        let data = (try? JSONCoding.makeCompactEncoder().encode(intent)) ?? Data()
        return SHA256.hash(data).hexString
    }

    /// Returns the plan with its fingerprint field set.
    public static func sealed(_ plan: Plan) -> Plan {
        var copy = plan
        copy.fingerprint = compute(plan)
        return copy
    }

    /// Whether the plan's content still matches its recorded fingerprint.
    public static func verify(_ plan: Plan) -> Bool {
        !plan.fingerprint.isEmpty && compute(plan) == plan.fingerprint
    }

    /// Whether `candidate` approves `fingerprint`: the whole value, or a unique prefix of at
    /// least 12 hex digits (a plan has one fingerprint, so any matching prefix is unique).
    public static func matches(_ candidate: String, fingerprint: String) -> Bool {
        let normalized = candidate.lowercased()
        guard normalized.count >= 12, normalized.count <= 64,
            normalized.allSatisfy({ $0.isHexDigit })
        else { return false }
        return fingerprint.hasPrefix(normalized)
    }

    private struct Intent: Encodable {
        var schemaVersion: Int
        var kind: String
        var planID: String
        var createdAt: Date
        var toolVersion: String
        var target: PlanTarget
        var options: PlanOptions
        var keys: [PlannedKey]
        var findings: [Finding]
        /// Optional and left out when absent, so plans made before CloudTrail keep their fingerprints.
        var evidence: EvidenceSummary?
        var blocked: Bool
        var steps: [IntentStep]
        enum CodingKeys: String, CodingKey {
            case schemaVersion, kind, planID = "planId", createdAt, toolVersion, target, options, keys, findings, evidence, blocked, steps
        }
    }

    private struct IntentStep: Encodable {
        var id: StepID
        var action: StepAction
        var keyID: String?
        var dependsOn: [StepID]
        enum CodingKeys: String, CodingKey { case id, action, keyID = "keyId", dependsOn }
    }
}
