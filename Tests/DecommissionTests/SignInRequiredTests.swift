import Foundation
import KMSAPI
import TestSupport
import Testing

@testable import Decommission

/// Credentials that need a person (SSO session expired, MFA without a terminal) stop a run with
/// its state saved; the resumed run reconciles the step in flight before sending anything.
struct SignInRequiredTests {
    private static let signIn = KMSError(
        code: .signInRequired, message: "The SSO session for profile 'prod' has expired; run 'aws sso login --profile prod'.")

    @Test func stopsWithTheStepStartedThenResumesByReconcilingIt() async throws {
        let world = try ExecutorWorld()
        defer { world.cleanUp() }
        let plan = try await world.makePlan(keyIDs: [keyID(1), keyID(2)])
        await world.kms.fail("ScheduleKeyDeletion \(keyID(2))", with: Self.signIn)

        let error = await #expect(throws: KMSError.self) {
            try await world.applier().apply(planPath: world.planPath, options: ApplyOptions(wait: true, approveFingerprint: plan.fingerprint))
        }
        #expect(error?.code == .signInRequired)
        // Saved: the step that met the error is still started (not failed, no attempt lost), the
        // other key's deletion is recorded, and nothing past scheduling ran.
        let saved = try world.readPlan()
        let stopped = try #require(saved.steps.first { $0.action == .scheduleDeletion && $0.keyID == keyID(2) })
        #expect(stopped.status == .running)
        #expect(stopped.error == nil)
        let other = try #require(saved.steps.first { $0.action == .scheduleDeletion && $0.keyID == keyID(1) })
        #expect(other.status == .done)
        #expect(await world.kms.keyState(keyID(2)) == .enabled)
        let callsBefore = await world.kms.calls.count

        // After signing in: the resumed run reads the key's live state before scheduling it.
        let report = try await world.applier().apply(planPath: world.planPath, options: ApplyOptions(resume: true, wait: true))
        #expect(report.outcome == .done)
        let resumed = Array(await world.kms.calls.dropFirst(callsBefore))
        let check = try #require(resumed.firstIndex(of: "DescribeKey \(keyID(2))"))
        let schedule = try #require(resumed.firstIndex(of: "ScheduleKeyDeletion \(keyID(2))"))
        #expect(check < schedule)
        #expect(resumed.filter { $0 == "ScheduleKeyDeletion \(keyID(1))" }.isEmpty)
        #expect(try world.readPlan().isComplete)
    }

    @Test func aSignInNeededWhileReconcilingAlsoStopsInsteadOfFailingTheStep() async throws {
        let world = try ExecutorWorld()
        defer { world.cleanUp() }
        let plan = try await world.makePlan(keyIDs: [keyID(3)])
        await world.kms.fail("ScheduleKeyDeletion \(keyID(3))", with: Self.signIn)
        _ = await #expect(throws: KMSError.self) {
            try await world.applier().apply(planPath: world.planPath, options: ApplyOptions(wait: true, approveFingerprint: plan.fingerprint))
        }
        await world.kms.fail("DescribeKey \(keyID(3))", with: Self.signIn)
        let error = await #expect(throws: KMSError.self) {
            try await world.applier().apply(planPath: world.planPath, options: ApplyOptions(resume: true, wait: true))
        }
        #expect(error?.code == .signInRequired)
        let step = try #require(try world.readPlan().steps.first { $0.action == .scheduleDeletion })
        #expect(step.status == .running)
        #expect(step.error == nil)
    }
}
