import Foundation
import KMSAPI

@testable import Decommission

/// Small factories for plan model values used by the planner's tests (fixed dates, no I/O).
enum PlannerFixtures {
    /// 2025-03-01T12:00:00Z.
    static let now = Date(timeIntervalSince1970: 1_740_830_400)
    static let trackingStart = Date(timeIntervalSince1970: 1_735_689_600)  // 2025-01-01T00:00:00Z
    static let day: TimeInterval = 86_400

    static func cloudHSMTarget(state: ConnectionState = .connected, errorCode: ConnectionErrorCode? = nil) -> PlanTarget {
        PlanTarget(
            accountID: "111122223333", region: "us-east-1", endpoint: "https://kms.us-east-1.amazonaws.com",
            keyStoreID: "cks-1234567890abcdef0", keyStoreName: "prod-hsm", keyStoreType: "AWS_CLOUDHSM",
            cloudHsmClusterID: "cluster-1a23b4cdefg", xksProxy: nil, connectionState: state, connectionErrorCode: errorCode)
    }

    static func xksTarget(state: ConnectionState = .connected) -> PlanTarget {
        PlanTarget(
            accountID: "111122223333", region: "us-east-1", endpoint: "https://kms.us-east-1.amazonaws.com",
            keyStoreID: "cks-00000000000000xks", keyStoreName: "ext-store", keyStoreType: "EXTERNAL_KEY_STORE",
            cloudHsmClusterID: nil,
            xksProxy: XksProxyTarget(connectivity: "PUBLIC_ENDPOINT", uriEndpoint: "https://xks.example.com", uriPath: "/kms/xks/v1", vpcEndpointServiceName: nil),
            connectionState: state)
    }

    static func key(
        _ id: String, state: KeyState = .enabled, created: Date = trackingStart.addingTimeInterval(10 * day),
        aliases: [String] = [], grants: Int = 0, deletionDate: Date? = nil, xksKeyID: String? = nil,
        usage: UsageEvidence = UsageEvidence(verdict: .neverUsed, trackingStartDate: trackingStart)
    ) -> PlannedKey {
        PlannedKey(
            keyID: id, arn: "arn:aws:kms:us-east-1:111122223333:key/\(id)", state: state, creationDate: created,
            description: nil, aliases: aliases, grantCount: grants, tags: [], deletionDate: deletionDate, xksKeyID: xksKeyID,
            usage: usage)
    }

    static func used(daysAgo: Double, operation: String = "Decrypt") -> UsageEvidence {
        UsageEvidence(
            verdict: .used, trackingStartDate: trackingStart, lastUsedAt: now.addingTimeInterval(-daysAgo * day), operation: operation,
            kmsRequestID: "req-1")
    }

    /// A sealed plan built with the real evaluator and graph builder.
    static func plan(
        target: PlanTarget = cloudHSMTarget(), keys: [PlannedKey], options: PlanOptions = PlanOptions(), planID: String = "plan-0001"
    ) throws -> Plan {
        let findings = try FindingsEvaluator.applyWaivers(
            options.accepted, to: FindingsEvaluator.evaluate(target: target, keys: keys, options: options, now: now))
        let steps = StepGraphBuilder.build(target: target, keys: keys, options: options)
        return PlanFingerprint.sealed(
            Plan(planID: planID, createdAt: now, toolVersion: "0.1.0", target: target, options: options, keys: keys, findings: findings, steps: steps))
    }

    /// A representative plan: a recently used key (waived), an old unused key with grants and an
    /// alias, and a key already pending deletion.
    static func representativePlan() throws -> Plan {
        let keys = [
            key("1111aaaa-0000-4000-8000-000000000001", aliases: ["alias/payments"], usage: used(daysAgo: 2)),
            key("2222bbbb-0000-4000-8000-000000000002", state: "Disabled", created: trackingStart.addingTimeInterval(-200 * day), grants: 3,
                usage: UsageEvidence(verdict: .unknownBeforeTracking, trackingStartDate: trackingStart)),
            key("3333cccc-0000-4000-8000-000000000003", state: "PendingDeletion", deletionDate: now.addingTimeInterval(5 * day)),
        ]
        return try plan(keys: keys, options: PlanOptions(accepted: ["key-recently-used:1111aaaa-0000-4000-8000-000000000001"]))
    }

    /// Runs `body` with a fresh temporary folder, removed afterwards.
    static func withTemporaryDirectory<T>(_ body: (String) throws -> T) throws -> T {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("planner-tests-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try body(path)
    }

    /// Copies a plan file a test wrote into `DECOMMISSION_PLAN_ARTIFACTS` when set (CI validates them).
    static func exportArtifact(_ path: String, name: String) {
        guard let directory = ProcessInfo.processInfo.environment["DECOMMISSION_PLAN_ARTIFACTS"], !directory.isEmpty else { return }
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let destination = (directory as NSString).appendingPathComponent(name.hasSuffix(".json") ? name : name + ".json")
        try? FileManager.default.removeItem(atPath: destination)
        try? FileManager.default.copyItem(atPath: path, toPath: destination)
    }
}
