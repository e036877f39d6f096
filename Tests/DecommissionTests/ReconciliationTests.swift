import Foundation
import KMSAPI
import TestSupport
import Testing

@testable import Decommission

/// Steps left `running` by a crash are reconciled from live state before any call.
struct ReconciliationTests {
    /// Simulates a crash right after ScheduleKeyDeletion was sent: the journal says started.
    private func crashAfterScheduling(_ world: ExecutorWorld, plan: Plan, key: String) async throws {
        var approved = plan
        approved.approval = Approval(approvedAt: world.time.now(), method: .fingerprint, fingerprint: plan.fingerprint, approvedBy: nil)
        for index in approved.steps.indices where [.verifyStore, .preflightRescan].contains(approved.steps[index].action) {
            approved.steps[index].status = .done
            approved.steps[index].finishedAt = world.time.now()
        }
        try PlanFileStore().write(approved, to: world.planPath)
        var step = try #require(approved.steps.first { $0.action == .scheduleDeletion && $0.keyID == key })
        step.status = .running
        step.attempts = 1
        try Journal(path: Journal.path(forPlan: world.planPath)).append([JournalRecord(seq: 1, time: world.time.now(), step: step)], durable: true)
        _ = try await world.kms.scheduleKeyDeletion(key, pendingWindowDays: 7)
    }

    /// After a power loss the journal ends in a line of NUL bytes: the resume warns, drops it,
    /// reconciles the step left running from live state and converges, sending no change twice.
    @Test func garbageJournalTailAfterPowerLossResumesAndConverges() async throws {
        let world = try ExecutorWorld()
        defer { world.cleanUp() }
        let plan = try await world.makePlan(keyIDs: [keyID(1)])
        try await crashAfterScheduling(world, plan: plan, key: keyID(1))
        let path = Journal.path(forPlan: world.planPath)
        var data = try #require(try AtomicFile.read(path))
        data.append(Data(repeating: 0, count: 120) + Data("\n".utf8))
        try AtomicFile.write(data, to: path)
        let report = try await world.applier().apply(planPath: world.planPath, options: ApplyOptions(resume: true, wait: true))
        #expect(report.outcome == .done)
        #expect(await world.kms.calls.filter { $0.hasPrefix("ScheduleKeyDeletion") }.count == 1)
        let warned = world.events.all.contains { if case .warning(_, let message) = $0 { message.contains("journal") } else { false } }
        #expect(warned)
    }

    @Test func startedScheduleWithKeyPendingIsNotRescheduled() async throws {
        let world = try ExecutorWorld()
        defer { world.cleanUp() }
        let plan = try await world.makePlan(keyIDs: [keyID(1)])
        try await crashAfterScheduling(world, plan: plan, key: keyID(1))
        let deletionDate = try #require(await world.kms.keys[keyID(1)]?.deletionDate)
        let report = try await world.applier().apply(planPath: world.planPath, options: ApplyOptions(resume: true))
        #expect(report.outcome == .waiting(nextActionAt: deletionDate.addingTimeInterval(ExecutionState.deletionGrace)))
        #expect(await world.kms.calls.filter { $0.hasPrefix("ScheduleKeyDeletion") }.count == 1)
        let step = try #require(try world.readPlan().steps.first { $0.action == .scheduleDeletion })
        #expect(step.status == .done)
        #expect(step.result?.deletionDate == deletionDate)
        // The reconciliation read came before any other call of the run.
        #expect(await world.kms.calls.dropFirst().first == "DescribeKey \(keyID(1))")
    }

    @Test func startedScheduleNotAppliedRunsOnce() async throws {
        let world = try ExecutorWorld()
        defer { world.cleanUp() }
        let plan = try await world.makePlan(keyIDs: [keyID(1)])
        try await crashAfterScheduling(world, plan: plan, key: keyID(1))
        _ = try await world.kms.cancelKeyDeletion(keyID(1))
        await world.kms.setKeyState(keyID(1), .enabled)
        let report = try await world.applier().apply(planPath: world.planPath, options: ApplyOptions(resume: true, wait: true))
        #expect(report.outcome == .done)
        #expect(await world.kms.calls.filter { $0.hasPrefix("ScheduleKeyDeletion") }.count == 2)
    }

    @Test func scheduleAnsweredPendingDeletionRecordsExistingDate() async throws {
        let world = try ExecutorWorld()
        defer { world.cleanUp() }
        let plan = try await world.makePlan(keyIDs: [keyID(1)])
        // Someone scheduled the key after planning: KMSInvalidStateException, date recorded.
        let date = world.time.now().addingTimeInterval(10 * 86_400)
        await world.kms.setKeyState(keyID(1), .pendingDeletion, deletionDate: date)
        _ = try await world.applier().apply(planPath: world.planPath, options: ApplyOptions(approveFingerprint: plan.fingerprint))
        let step = try #require(try world.readPlan().steps.first { $0.action == .scheduleDeletion })
        #expect(step.status == .done)
        #expect(step.result?.deletionDate == date)
    }

    @Test func disconnectRefusedAfterLostReplyIsReconciled() async throws {
        let world = try ExecutorWorld()
        defer { world.cleanUp() }
        let plan = try await world.makePlan(keyIDs: [keyID(1)])
        let applier = Applier(kms: DisconnectReplyLost(base: world.kms), clock: world.clock, now: { [time = world.time] in time.now() })
        let report = try await applier.apply(
            planPath: world.planPath, options: ApplyOptions(wait: true, approveFingerprint: plan.fingerprint))
        #expect(report.outcome == .done)
        #expect(await world.kms.calls.filter { $0.hasPrefix("DisconnectCustomKeyStore") }.count == 1)
        let step = try #require(try world.readPlan().steps.first { $0.action == .disconnectStore })
        #expect(step.result?.note?.hasPrefix("reconciled") == true)
    }
}

/// The fake KMS, except that DisconnectCustomKeyStore's reply is lost: the client's resend is
/// answered CustomKeyStoreInvalidStateException, since the first attempt already disconnected.
private struct DisconnectReplyLost: KMSGateway {
    let base: FakeKMS
    func describeStores(_ request: DescribeCustomKeyStoresRequest) async throws -> DescribeCustomKeyStoresResponse {
        try await base.describeStores(request)
    }
    func listKeys(_ request: ListKeysRequest) async throws -> ListKeysResponse { try await base.listKeys(request) }
    func listAliases(_ request: ListAliasesRequest) async throws -> ListAliasesResponse { try await base.listAliases(request) }
    func listGrants(_ request: ListGrantsRequest) async throws -> ListGrantsResponse { try await base.listGrants(request) }
    func listResourceTags(_ request: ListResourceTagsRequest) async throws -> ListResourceTagsResponse { try await base.listResourceTags(request) }
    func describeKey(_ keyID: String) async throws -> KeyMetadata { try await base.describeKey(keyID) }
    func keyLastUsage(_ keyID: String) async throws -> GetKeyLastUsageResponse { try await base.keyLastUsage(keyID) }
    func connectStore(_ id: String) async throws -> String? { try await base.connectStore(id) }
    func disconnectStore(_ id: String) async throws -> String? {
        _ = try await base.disconnectStore(id)
        throw KMSError(
            code: .keyStoreInvalidState, message: "Store is DISCONNECTING.", awsErrorType: "CustomKeyStoreInvalidStateException")
    }
    func deleteStore(_ id: String) async throws -> String? { try await base.deleteStore(id) }
    func disableKey(_ keyID: String) async throws -> String? { try await base.disableKey(keyID) }
    func enableKey(_ keyID: String) async throws -> String? { try await base.enableKey(keyID) }
    func scheduleKeyDeletion(_ keyID: String, pendingWindowDays: Int) async throws -> (ScheduleKeyDeletionResponse, requestID: String?) {
        try await base.scheduleKeyDeletion(keyID, pendingWindowDays: pendingWindowDays)
    }
    func cancelKeyDeletion(_ keyID: String) async throws -> String? { try await base.cancelKeyDeletion(keyID) }
}
