import Foundation
import KMSAPI
import KMSLocal
import TestSupport
import Testing

@testable import Decommission

/// The scream test end to end: kms-local over real HTTP and SigV4 records every KMS call as a
/// CloudTrail event and serves LookupEvents; server and clients share one virtual time, and the
/// executor sleeps on a fast clock, so days pass at once. (Issue 12, "How it is checked" (a)-(g).)
struct ScreamTestEndToEndTests {
    static let appKey = "AKIDBILLINGAPP"
    static let appSecret = "billing-app-secret"
    static let appRole = "arn:aws:iam::111122223333:role/billing-app"

    struct World {
        let time = VirtualTime(Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down)))
        let harness: KMSLocalHarness
        let storeID: String
        let events = EventLog()

        init(tag: Int, keys: [(String, KeyState)], trail: [SeedTrailEvent] = []) throws {
            storeID = String(format: "cks-5c2ea%012x", tag)
            var seed = SeedFile.cloudHSM(storeID: storeID, keys: keys, now: time.now())
            seed.cloudtrailEvents = trail
            harness = try KMSLocalHarness(seedData: try SeedFile.makeEncoder().encode(seed), now: { [time] in time.now() }) {
                $0.credentials[ScreamTestEndToEndTests.appKey] = ScreamTestEndToEndTests.appSecret
                $0.principals[ScreamTestEndToEndTests.appKey] = ScreamTestEndToEndTests.appRole
            }
        }

        func plan(_ options: PlanOptions, cloudTrail: CloudTrailEvidenceSource? = nil) async throws -> Plan {
            let planner = Planner(
                kms: harness.gateway, now: { [time] in time.now() }, makeID: { "plan-scream-e2e" }, toolVersion: "e2e-test",
                cloudTrail: cloudTrail ?? harness.cloudTrail())
            let plan = try await planner.makePlan(
                PlanRequest(keyStore: storeID, options: options, region: "us-east-1", endpoint: harness.endpoint.absoluteString))
            try PlanFileStore().write(plan, to: harness.planPath)
            return plan
        }

        func apply(_ options: ApplyOptions) async throws -> ApplyReport {
            let events = self.events
            return try await Applier(
                kms: harness.gateway, clock: FastClock(time: time), now: { [time] in time.now() }, events: { events.append($0) },
                cloudTrail: harness.cloudTrail()
            ).apply(planPath: harness.planPath, options: options)
        }

        var application: KMSClient { harness.client(accessKeyID: ScreamTestEndToEndTests.appKey, secret: ScreamTestEndToEndTests.appSecret) }

        /// The application encrypts with an enabled key (its data from before the plan).
        func applicationEncrypts(_ keyID: String) async throws -> Data {
            try #require(try await application.encrypt(Data("payroll".utf8), keyID: keyID).ciphertextBlob)
        }

        /// The application tries to decrypt its data (it fails: the key is disabled or pending).
        func applicationDecrypts(_ ciphertext: Data, keyID: String) async {
            _ = try? await application.decrypt(ciphertext, keyID: keyID)
        }

        func operations() async throws -> [String] { try await harness.calls().map { "\($0.operation) \($0.target ?? "")" } }
    }

    @Test func aDisabledKeyWithFailedDecryptsBlocksThePlanNamingThePrincipal() async throws {
        let keys = [(e2eKeyID(0x5c1, 1), KeyState.disabled), (e2eKeyID(0x5c1, 2), KeyState.enabled)]
        let world = try World(tag: 1, keys: keys, trail: [
            SeedTrailEvent(
                eventName: "Decrypt", eventTime: Date().addingTimeInterval(-3 * 86_400), keyID: keys[0].0, errorCode: "DisabledException",
                accessKeyID: Self.appKey, sourceIPAddress: "10.0.3.7", count: 12, intervalSeconds: 2 * 86_400)
        ])
        defer { world.harness.stop() }
        let plan = try await world.plan(PlanOptions(pendingWindowDays: 7, minIdleDays: 30))
        let finding = try #require(plan.findings.first { $0.code == .keyUseAttempted })
        #expect(finding.keyID == keys[0].0 && finding.severity == .block && plan.blocked)
        #expect(finding.message.contains("\(Self.appRole) Decrypt x12 (DisabledException)"))
        #expect(finding.message.contains("10.0.3.7"))
        // The tool's own reads of the keys are CloudTrail events too, never evidence.
        #expect(!plan.findings.contains { $0.code == .keyUseAttempted && $0.keyID == keys[1].0 })
        #expect((plan.evidence?.eventsRead ?? 0) >= 12)
    }

    @Test func aFailedDecryptDuringObservationStopsApplyBeforeAnyScheduleOnceTheLagHasPassed() async throws {
        let keys = [(e2eKeyID(0x5c2, 1), KeyState.enabled), (e2eKeyID(0x5c2, 2), KeyState.enabled)]
        let world = try World(tag: 2, keys: keys)
        defer { world.harness.stop() }
        let plan = try await world.plan(PlanOptions(pendingWindowDays: 7, observeDays: 3, cloudTrailLagMinutes: 15))
        #expect(!plan.blocked)
        let data = try await world.applicationEncrypts(keys[0].0)
        let first = try await world.apply(ApplyOptions(approveFingerprint: plan.fingerprint))
        guard case .waiting = first.outcome else { Issue.record("expected waiting, got \(first.outcome)"); return }
        #expect(try await world.harness.keyState(keys[0].0) == .disabled)

        world.time.advance(by: 86_400)
        await world.applicationDecrypts(data, keyID: keys[0].0)
        world.time.advance(by: 5 * 60)
        // (g) Younger than the 15-minute lag: not evidence yet.
        let early = try await world.apply(ApplyOptions(resume: true))
        guard case .waiting = early.outcome else { Issue.record("expected waiting, got \(early.outcome)"); return }

        world.time.advance(by: 15 * 60)
        let caught = try await world.apply(ApplyOptions(resume: true, wait: true))
        guard case .blocked(let drift) = caught.outcome else { Issue.record("expected blocked, got \(caught.outcome)"); return }
        #expect(drift.map(\.kind) == [.keyUseAttempted])
        #expect(drift.first?.keyID == keys[0].0)
        #expect(drift.first?.found.contains("\(Self.appRole) Decrypt x1 (DisabledException)") == true)
        #expect(try await world.operations().allSatisfy { !$0.hasPrefix("ScheduleKeyDeletion") })
    }

    @Test func anAttemptOnAPendingKeyInTheGuardSpanCancelsOnlyThatKeyWithCancelOnUse() async throws {
        let keys = [(e2eKeyID(0x5c3, 1), KeyState.enabled), (e2eKeyID(0x5c3, 2), KeyState.enabled)]
        let world = try World(tag: 3, keys: keys)
        defer { world.harness.stop() }
        let plan = try await world.plan(
            PlanOptions(pendingWindowDays: 7, accepted: [], guardHours: 24, cancelOnUse: true, cloudTrailLagMinutes: 15))
        let data = try await world.applicationEncrypts(keys[1].0)
        let first = try await world.apply(ApplyOptions(approveFingerprint: plan.fingerprint))
        guard case .waiting(let next) = first.outcome else { Issue.record("expected waiting, got \(first.outcome)"); return }
        let deletion = try #require(try world.harness.readPlan().steps.first { $0.action == .scheduleDeletion }?.result?.deletionDate)
        #expect(next == deletion.addingTimeInterval(-24 * 3600))

        world.time.advance(by: 2 * 86_400)
        await world.applicationDecrypts(data, keyID: keys[1].0)
        world.time.advance(to: next)
        let report = try await world.apply(ApplyOptions(resume: true, wait: true))
        guard case .blocked(let drift) = report.outcome else { Issue.record("expected blocked, got \(report.outcome)"); return }
        #expect(drift.map(\.keyID) == [keys[1].0])
        #expect(drift.first?.found.contains("KMSInvalidStateException") == true)
        #expect(try await world.harness.keyState(keys[1].0) == .disabled)
        #expect(try await world.harness.keyState(keys[0].0) == .pendingDeletion)
        let operations = try await world.operations()
        #expect(operations.filter { $0.hasPrefix("CancelKeyDeletion") }.count == 1)
        #expect(!operations.contains { $0.hasPrefix("DisconnectCustomKeyStore") })
    }

    @Test func withoutAttemptsThePlanCompletesAsBefore() async throws {
        let keys = [(e2eKeyID(0x5c4, 1), KeyState.enabled)]
        let world = try World(tag: 4, keys: keys)
        defer { world.harness.stop() }
        let plan = try await world.plan(PlanOptions(pendingWindowDays: 7, observeDays: 1, guardHours: 24, cloudTrailLagMinutes: 15))
        let report = try await world.apply(ApplyOptions(wait: true, approveFingerprint: plan.fingerprint))
        #expect(report.outcome == .done)
        let checks = world.events.all.compactMap { event -> EvidenceCheck? in
            if case .evidenceChecked(_, let check) = event { return check }
            return nil
        }
        #expect(checks.count >= 3)
        #expect(checks.allSatisfy { $0.attempts == 0 })
    }

    @Test func anUnreachableCloudTrailIsReportedAndBlocksAnObservation() async throws {
        let keys = [(e2eKeyID(0x5c5, 1), KeyState.enabled)]
        let world = try World(tag: 5, keys: keys)
        defer { world.harness.stop() }
        let closed = try #require(URL(string: "http://127.0.0.1:9"))
        let plan = try await world.plan(PlanOptions(pendingWindowDays: 7, observeDays: 2), cloudTrail: world.harness.cloudTrail(endpoint: closed))
        let finding = try #require(plan.findings.first { $0.code == .cloudTrailUnavailable })
        #expect(finding.severity == .block && plan.blocked)
        #expect(plan.evidence?.unavailableReason != nil)
    }

    @Test func aKeyWith120EventsIsReadInThreePagesWithoutThrottlingUnderAWSQuotas() async throws {
        let key = e2eKeyID(0x5c6, 1)
        var seed = SeedFile.cloudHSM(storeID: "cks-5c2ea000000000006", keys: [(key, .disabled)], now: Date())
        seed.cloudtrailEvents = [
            SeedTrailEvent(
                eventName: "Decrypt", eventTime: Date().addingTimeInterval(-3600), keyID: key, errorCode: "DisabledException",
                accessKeyID: Self.appKey, count: 120, intervalSeconds: 60)
        ]
        let harness = try KMSLocalHarness(seedData: try SeedFile.makeEncoder().encode(seed), quotas: .aws(multiplier: 1), rateLimiter: RateLimiter(clock: ContinuousClock()))
        defer { harness.stop() }
        let limiter = RateLimiter(clock: ContinuousClock(), quotas: RateLimiter.cloudTrailQuotas)
        let planner = Planner(
            kms: harness.gateway, now: { Date() }, makeID: { "plan-paging" }, toolVersion: "e2e-test", cloudTrail: harness.cloudTrail(rateLimiter: limiter))
        let plan = try await planner.makePlan(
            PlanRequest(keyStore: "cks-5c2ea000000000006", options: PlanOptions(), region: "us-east-1", endpoint: harness.endpoint.absoluteString))
        #expect(plan.keys.first?.cloudTrail?.attempts.first?.count == 120)
        let lookups = try await harness.calls().filter { $0.operation == "LookupEvents" }
        #expect(lookups.count == 3)
        #expect(lookups.allSatisfy { $0.outcome == "ok" })
    }
}
