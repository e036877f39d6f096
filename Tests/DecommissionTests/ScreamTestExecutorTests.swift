import Foundation
import KMSAPI
import Testing

@testable import Decommission
@testable import TestSupport

/// The scream test while applying (FakeKMS + FakeCloudTrail, virtual time): observation and
/// guard checks read CloudTrail and stop the run on attempted use.
struct ScreamTestExecutorTests {
    let trail = FakeCloudTrail()

    func applier(_ world: ExecutorWorld) -> Applier {
        let events = world.events
        return Applier(
            kms: world.kms, clock: world.clock, now: { [time = world.time] in time.now() }, events: { events.append($0) },
            cloudTrail: CloudTrailEvidenceSource(gateway: trail))
    }

    func arn(_ id: String) -> String { "arn:aws:kms:us-east-1:111122223333:key/\(id)" }

    @Test func attemptedUseDuringObservationStopsBeforeAnyScheduleAndWaitsOutTheLag() async throws {
        let world = try ExecutorWorld()
        defer { world.cleanUp() }
        let plan = try await world.makePlan(
            keyIDs: [keyID(1), keyID(2)], options: PlanOptions(pendingWindowDays: 7, observeDays: 7, cloudTrailLagMinutes: 15))
        let first = try await applier(world).apply(planPath: world.planPath, options: ApplyOptions(approveFingerprint: plan.fingerprint))
        guard case .waiting = first.outcome else { Issue.record("expected waiting, got \(first.outcome)"); return }

        world.time.advance(by: 86_400)
        await trail.record("Decrypt", keyARN: arn(keyID(2)), at: world.time.now(), count: 3)
        world.time.advance(by: 5 * 60)
        // (g) The event is younger than the 15-minute lag: not evidence yet.
        let early = try await applier(world).apply(planPath: world.planPath, options: ApplyOptions(resume: true))
        guard case .waiting = early.outcome else { Issue.record("expected waiting, got \(early.outcome)"); return }
        let observe = try #require(world.readPlan().steps.first { $0.action == .observe })
        #expect(observe.result?.evidence?.keysRead == 2)
        #expect(observe.result?.evidence?.attempts == 0)

        // At the next resume past the lag it is: the run stops (exit 3) before any ScheduleKeyDeletion.
        world.time.advance(by: 20 * 60)
        let caught = try await applier(world).apply(planPath: world.planPath, options: ApplyOptions(resume: true))
        guard case .blocked(let drift) = caught.outcome else { Issue.record("expected blocked, got \(caught.outcome)"); return }
        #expect(drift.map(\.kind) == [.keyUseAttempted])
        #expect(drift.first?.keyID == keyID(2))
        #expect(drift.first?.found.contains("arn:aws:iam::111122223333:role/billing-app Decrypt x3 (DisabledException)") == true)
        #expect(drift.first?.found.contains("10.0.3.7") == true)
        #expect(await world.kms.mutatingCalls.allSatisfy { !$0.hasPrefix("ScheduleKeyDeletion") })
    }

    @Test func attemptAtTheEndOfObservationBlocksTheObserveStep() async throws {
        let world = try ExecutorWorld()
        defer { world.cleanUp() }
        let plan = try await world.makePlan(keyIDs: [keyID(1)], options: PlanOptions(pendingWindowDays: 7, observeDays: 2, cloudTrailLagMinutes: 0))
        _ = try await applier(world).apply(planPath: world.planPath, options: ApplyOptions(approveFingerprint: plan.fingerprint))
        await trail.record("GenerateDataKey", keyARN: arn(keyID(1)), at: world.time.now().addingTimeInterval(86_400))
        let report = try await applier(world).apply(planPath: world.planPath, options: ApplyOptions(resume: true, wait: true))
        guard case .blocked(let drift) = report.outcome else { Issue.record("expected blocked, got \(report.outcome)"); return }
        #expect(drift.first?.found.contains("GenerateDataKey x1") == true)
        #expect(try world.readPlan().steps.first { $0.action == .observe }?.error != nil)
        #expect(await world.kms.mutatingCalls.allSatisfy { !$0.hasPrefix("ScheduleKeyDeletion") })
    }

    @Test func guardCancelsOnlyTheKeyWithEvidenceAndStops() async throws {
        let world = try ExecutorWorld()
        defer { world.cleanUp() }
        let plan = try await world.makePlan(
            keyIDs: [keyID(1), keyID(2)],
            options: PlanOptions(pendingWindowDays: 7, guardHours: 24, cancelOnUse: true, cloudTrailLagMinutes: 15))
        let first = try await applier(world).apply(planPath: world.planPath, options: ApplyOptions(approveFingerprint: plan.fingerprint))
        let deletion = try #require(await world.kms.keys[keyID(1)]?.deletionDate)
        // Exit 75 names the guard's due time, before the DeletionDate.
        #expect(first.outcome == .waiting(nextActionAt: deletion.addingTimeInterval(-24 * 3600)))

        await trail.record("Decrypt", keyARN: arn(keyID(1)), at: deletion.addingTimeInterval(-30 * 3600), errorCode: "KMSInvalidStateException")
        world.time.advance(to: deletion.addingTimeInterval(-24 * 3600))
        let report = try await applier(world).apply(planPath: world.planPath, options: ApplyOptions(resume: true, wait: true))
        guard case .blocked(let drift) = report.outcome else { Issue.record("expected blocked, got \(report.outcome)"); return }
        #expect(drift.map(\.keyID) == [keyID(1)])
        #expect(await world.kms.keys[keyID(1)]?.state == .disabled)
        #expect(await world.kms.keys[keyID(2)]?.state == .pendingDeletion)
        let mutating = await world.kms.mutatingCalls
        #expect(mutating.contains("CancelKeyDeletion \(keyID(1))"))
        #expect(!mutating.contains("CancelKeyDeletion \(keyID(2))"))
        #expect(!mutating.contains { $0.hasPrefix("DisconnectCustomKeyStore") })
        let audit = try String(contentsOfFile: AuditLog.path(forPlan: world.planPath), encoding: .utf8)
        #expect(audit.contains("CancelKeyDeletion"))
        PlannerFixtures.exportArtifact(world.planPath, name: "scream-test-guard-stopped")
    }

    @Test func noAttemptsCompletesWithGuardChecksRecorded() async throws {
        let world = try ExecutorWorld()
        defer { world.cleanUp() }
        let plan = try await world.makePlan(
            keyIDs: [keyID(1)], options: PlanOptions(pendingWindowDays: 7, observeDays: 1, guardHours: 12, cloudTrailLagMinutes: 15))
        await trail.record("Decrypt", keyARN: arn(keyID(1)), at: world.time.now().addingTimeInterval(-86_400), errorCode: nil)
        let report = try await applier(world).apply(planPath: world.planPath, options: ApplyOptions(wait: true, approveFingerprint: plan.fingerprint))
        #expect(report.outcome == .done)
        let lookups = await trail.requests
        // The observation end, the guard at its span's start and the guard's last check before the DeletionDate.
        #expect(lookups.count >= 3)
        let checks = world.events.all.compactMap { event -> String? in
            if case .evidenceChecked(let kind, _) = event { return kind }
            return nil
        }
        #expect(checks.filter { $0.hasPrefix("guard") }.count == 2)
        PlannerFixtures.exportArtifact(world.planPath, name: "scream-test-completed")
    }

    @Test func deniedLookupDuringGuardWarnsAndDoesNotStop() async throws {
        let world = try ExecutorWorld()
        defer { world.cleanUp() }
        let plan = try await world.makePlan(keyIDs: [keyID(1)], options: PlanOptions(pendingWindowDays: 7, guardHours: 24))
        await trail.fail(with: KMSError(code: .accessDenied, message: "not allowed", awsErrorType: "AccessDeniedException"))
        let report = try await applier(world).apply(planPath: world.planPath, options: ApplyOptions(wait: true, approveFingerprint: plan.fingerprint))
        #expect(report.outcome == .done)
        #expect(world.events.all.contains { if case .warning(_, let message) = $0 { message.contains("AccessDeniedException") } else { false } })
    }

    @Test func anInterruptedGuardSweepKeepsTheKeysItFinishedAndResumesFromThem() async throws {
        let world = try ExecutorWorld()
        defer { world.cleanUp() }
        let plan = try await world.makePlan(keyIDs: [keyID(1), keyID(2)], options: PlanOptions(pendingWindowDays: 7, guardHours: 48, cloudTrailLagMinutes: 0))
        _ = try await applier(world).apply(planPath: world.planPath, options: ApplyOptions(approveFingerprint: plan.fingerprint))
        let deletion = try #require(await world.kms.keys[keyID(1)]?.deletionDate)
        world.time.advance(to: deletion.addingTimeInterval(-47 * 3600))
        await trail.fail(resources: [arn(keyID(2))])
        _ = try await applier(world).apply(planPath: world.planPath, options: ApplyOptions(resume: true))
        let steps = try world.readPlan().steps.filter { $0.action == .awaitDeletion }
        let first = try #require(steps.first { $0.keyID == keyID(1) }?.result?.evidence)
        #expect(steps.first { $0.keyID == keyID(2) }?.result?.evidence == nil)
        // Half-checked is not passed.
        #expect(PlanStatusReport.make(try world.readPlan(), now: world.time.now()).guards?.map(\.status).allSatisfy { $0 == "due" } == true)

        await trail.fail(resources: [])
        world.time.advance(by: 3600)
        let before = await trail.requests.count
        _ = try await applier(world).apply(planPath: world.planPath, options: ApplyOptions(resume: true))
        let resumed = await trail.requests.dropFirst(before)
        let keyOne = try #require(resumed.first { $0.lookupAttributes?.first?.attributeValue == arn(keyID(1)) })
        #expect(keyOne.startTime == first.windowEnd)
        #expect(PlanStatusReport.make(try world.readPlan(), now: world.time.now()).guards?.map(\.status).allSatisfy { $0 == "passed" } == true)
    }

    @Test func aDeletionDateThatPassedUncheckedIsReportedAsMissed() async throws {
        let world = try ExecutorWorld()
        defer { world.cleanUp() }
        let plan = try await world.makePlan(keyIDs: [keyID(1)], options: PlanOptions(pendingWindowDays: 7, guardHours: 24))
        // Applied without CloudTrail: nothing guards the DeletionDate.
        _ = try await world.applier().apply(planPath: world.planPath, options: ApplyOptions(approveFingerprint: plan.fingerprint))
        let deletion = try #require(await world.kms.keys[keyID(1)]?.deletionDate)
        let saved = try world.readPlan()
        #expect(PlanStatusReport.make(saved, now: deletion.addingTimeInterval(-48 * 3600)).guards?.map(\.status) == ["upcoming"])
        #expect(PlanStatusReport.make(saved, now: deletion.addingTimeInterval(-3600)).guards?.map(\.status) == ["due"])
        #expect(PlanStatusReport.make(saved, now: deletion.addingTimeInterval(1)).guards?.map(\.status) == ["missed"])
        // status's next action names the guard's start, before the deletion check.
        #expect(PlanStatusReport.make(saved, now: deletion.addingTimeInterval(-48 * 3600)).nextActionAt == deletion.addingTimeInterval(-24 * 3600))
    }
}
