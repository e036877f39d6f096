import Foundation
import KMSAPI
import Synchronization
import TestSupport
import Testing

@testable import Decommission

// The executor suites' world: the one fake KMS, virtual time and a fast clock (TestSupport), and
// a plan factory.

/// Builds plans and a world to run them in.
struct ExecutorWorld {
    let time = VirtualTime()
    let kms: FakeKMS
    let directory: String
    let planPath: String
    var events = EventLog()

    init() throws {
        kms = FakeKMS(time: time)
        directory = NSTemporaryDirectory() + "executor-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        planPath = directory + "/plan.json"
    }

    func cleanUp() { try? FileManager.default.removeItem(atPath: directory) }

    var clock: FastClock { FastClock(time: time) }

    func applier(approver: (@Sendable (Plan) async -> String?)? = nil) -> Applier {
        let events = self.events
        return Applier(kms: kms, clock: clock, now: { [time] in time.now() }, events: { events.append($0) }, approver: approver)
    }

    func canceller() -> Canceller { Canceller(kms: kms, clock: clock, now: { [time] in time.now() }) }

    /// Seeds a store with keys in the fake KMS and writes a sealed plan for it.
    @discardableResult
    func makePlan(
        storeID: String = "cks-1234567890abcdef0", type: CustomKeyStoreType = .cloudHSM, keyIDs: [String],
        keyStates: [String: KeyState] = [:], options: PlanOptions = PlanOptions(pendingWindowDays: 7), storeState: ConnectionState = .connected
    ) async throws -> Plan {
        await kms.addStore(storeID, type: type, state: storeState)
        var planned: [PlannedKey] = []
        for id in keyIDs {
            let state = keyStates[id] ?? .enabled
            let deletionDate = state == .pendingDeletion ? time.now().addingTimeInterval(3 * 86_400) : nil
            await kms.addKey(id, store: storeID, state: state, deletionDate: deletionDate)
            planned.append(
                PlannedKey(
                    keyID: id, arn: "arn:aws:kms:us-east-1:111122223333:key/\(id)", state: state, creationDate: nil, description: nil,
                    aliases: [], grantCount: 0, tags: [], deletionDate: deletionDate, xksKeyID: nil,
                    usage: UsageEvidence(verdict: .neverUsed, trackingStartDate: nil)))
        }
        let target = PlanTarget(
            accountID: "111122223333", region: "us-east-1", endpoint: "http://127.0.0.1:4599", keyStoreID: storeID,
            keyStoreName: "store", keyStoreType: type, cloudHsmClusterID: type == .cloudHSM ? "cluster-1234567" : nil,
            xksProxy: type == .external
                ? XksProxyTarget(connectivity: "PUBLIC_ENDPOINT", uriEndpoint: "https://xks.example.com", uriPath: "/kms/xks/v1", vpcEndpointServiceName: nil)
                : nil,
            connectionState: storeState)
        let findings = FindingsEvaluator.evaluate(target: target, keys: planned, options: options, now: time.now())
        let steps = StepGraphBuilder.build(target: target, keys: planned, options: options)
        let plan = PlanFingerprint.sealed(
            Plan(
                planID: "plan-\(storeID)", createdAt: time.now(), toolVersion: "test", target: target, options: options, keys: planned,
                findings: findings, steps: steps))
        try PlanFileStore().write(plan, to: planPath)
        return plan
    }

    func readPlan() throws -> Plan { try FileCheckpointStore(planPath: planPath).load() }
}

/// Key ids shaped like KMS's.
func keyID(_ n: Int) -> String { String(format: "%08x-1111-2222-3333-%012x", n, n) }
