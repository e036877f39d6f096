import Foundation
import KMSAPI
import Synchronization
import TestSupport
import Testing

@testable import Decommission

struct PlannerTests {
    typealias Seed = PlannerSeed

    private func makePlanner(_ fake: FakeKMS, events: @escaping @Sendable (DiscoveryEvent) -> Void = { _ in }) -> Planner {
        Planner(kms: fake, now: { Seed.now }, makeID: { "plan-test" }, toolVersion: "0.1.0-test", events: events)
    }

    private func fake(_ account: FakeKMSAccount = Seed.state()) -> FakeKMS { FakeKMS(account: account, time: VirtualTime(Seed.now)) }

    private func request(_ store: String = Seed.storeID, _ options: PlanOptions = PlanOptions()) -> PlanRequest {
        PlanRequest(keyStore: store, options: options, region: "us-east-1", endpoint: "http://fake-kms.local")
    }

    @Test func planHoldsExactlyTheStoresKeysWithTheirEvidence() async throws {
        let kms = fake()
        let plan = try await makePlanner(kms).makePlan(request())
        #expect(plan.keys.map(\.keyID) == ["aaaa0001-0000-4000-8000-000000000001", "aaaa0002-0000-4000-8000-000000000002", "aaaa0003-0000-4000-8000-000000000003"])
        #expect(plan.keys[0].aliases == ["alias/a-second", "alias/payments"])
        #expect(plan.keys[0].grantCount == 3)
        #expect(plan.keys[0].usage.verdict == .used)
        #expect(plan.keys[0].usage.operation == "Encrypt")
        #expect(plan.keys[1].tags == [PlanTag(key: "team", value: "payments")])
        #expect(plan.keys[1].usage.verdict == .unknownBeforeTracking)
        #expect(plan.keys[2].usage.verdict == .neverUsed)
        #expect(plan.keys[2].deletionDate == Seed.now.addingTimeInterval(3 * 86_400))
        #expect(plan.target.accountID == "111122223333")
        #expect(plan.target.cloudHsmClusterID == "cluster-1a23b4cdefg")
        #expect(plan.blocked)
        #expect(PlanFingerprint.verify(plan))
        #expect(plan.planID == "plan-test" && plan.createdAt == Seed.now)
    }

    @Test func planningIsReadOnlyAndListsAliasesOnce() async throws {
        let kms = fake()
        _ = try await makePlanner(kms).makePlan(request())
        let calls = await kms.operations
        #expect(!calls.isEmpty)
        #expect(calls.allSatisfy { !OperationName(rawValue: $0).isMutating })
        #expect(calls.filter { $0 == "ListAliases" }.count == 1)
        #expect(calls.filter { $0 == "GetKeyLastUsage" }.count == 3)
        #expect(calls.filter { $0 == "DescribeKey" }.count == 9)
    }

    @Test func acceptWaivesTheRecentUseBlock() async throws {
        let kms = fake()
        let plan = try await makePlanner(kms).makePlan(request(Seed.storeID, PlanOptions(accepted: ["key-recently-used:aaaa0001-0000-4000-8000-000000000001"])))
        #expect(!plan.blocked)
        #expect(plan.findings.first { $0.code == .keyRecentlyUsed }?.waived == true)
    }

    @Test func planDatesAreWholeSecondsSoTheFileReadsBackEqual() async throws {
        var state = Seed.state()
        state.keys[1].creationDate = state.keys[1].creationDate?.addingTimeInterval(0.789)
        let planner = Planner(
            kms: fake(state), now: { Seed.now.addingTimeInterval(0.456) },
            makeID: { "plan-test" }, toolVersion: "0.1.0-test")
        let plan = try await planner.makePlan(request())
        let reread = try PlanFileStore().decode(try PlanFileStore().encode(plan), path: "memory")
        #expect(reread == plan)
        #expect(plan.createdAt == Seed.now)
    }

    @Test func findsTheStoreByExactName() async throws {
        let plan = try await makePlanner(fake()).makePlan(request("prod-hsm"))
        #expect(plan.target.keyStoreID == Seed.storeID)
        #expect(plan.target.keyStoreName == "prod-hsm")
    }

    @Test(arguments: ["cks-00000000000000000", "no-such-store", "PROD-HSM"])
    func unknownStoreIsNotFound(_ store: String) async throws {
        let kms = fake()
        let error = try await #require(throws: DecommissionError.self) { try await makePlanner(kms).makePlan(request(store)) }
        #expect(error.code == .storeNotFound)
        #expect(error.message.contains(store) && error.message.contains("us-east-1"))
    }

    @Test func ambiguousNameListsTheStores() async throws {
        var state = Seed.state()
        state.stores[1].customKeyStoreName = "prod-hsm"
        let error = try await #require(throws: DecommissionError.self) { try await makePlanner(fake(state)).makePlan(request("prod-hsm")) }
        #expect(error.code == .ambiguousStoreName)
        #expect(error.message.contains(Seed.storeID) && error.message.contains(Seed.otherStoreID))
    }

    @Test func keyVanishingMidScanIsSkipped() async throws {
        var state = Seed.state()
        state.vanishOnDescribe = ["aaaa0002-0000-4000-8000-000000000002"]
        let plan = try await makePlanner(fake(state)).makePlan(request())
        #expect(plan.keys.map(\.keyID) == ["aaaa0001-0000-4000-8000-000000000001", "aaaa0003-0000-4000-8000-000000000003"])
    }

    @Test(arguments: ["DescribeCustomKeyStores", "ListKeys", "DescribeKey", "GetKeyLastUsage", "ListAliases"])
    func accessDeniedNamesThePermission(_ operation: String) async throws {
        var state = Seed.state()
        state.denied = [operation]
        let error = try await #require(throws: KMSError.self) { try await makePlanner(fake(state)).makePlan(request()) }
        #expect(error.code == .accessDenied)
        #expect(error.message.contains("kms:\(operation)"))
    }

    @Test(arguments: [
        PlanOptions(pendingWindowDays: 6), PlanOptions(pendingWindowDays: 31), PlanOptions(observeDays: -1),
        PlanOptions(minIdleDays: -0.5), PlanOptions(observeDays: .nan),
    ])
    func outOfRangeOptionsAreRejectedBeforeAnyCall(_ options: PlanOptions) async throws {
        let kms = fake()
        let error = try await #require(throws: DecommissionError.self) { try await makePlanner(kms).makePlan(request(Seed.storeID, options)) }
        #expect(error.code == .invalidOption)
        #expect(error.message.contains("--"))
        #expect(await kms.calls.isEmpty)
    }

    @Test func unknownAcceptCodeIsRejectedBeforeAnyCall() async throws {
        let kms = fake()
        let error = try await #require(throws: DecommissionError.self) {
            try await makePlanner(kms).makePlan(request(Seed.storeID, PlanOptions(accepted: ["key-recenty-used"])))
        }
        #expect(error.code == .invalidWaiver)
        #expect(await kms.calls.isEmpty)
    }

    @Test func emptyStoreHasNoAccount() async throws {
        var state = Seed.state()
        state.keys.removeAll { $0.customKeyStoreID == Seed.storeID }
        let plan = try await makePlanner(fake(state)).makePlan(request())
        #expect(plan.keys.isEmpty)
        #expect(plan.target.accountID == nil)
        #expect(plan.findings.contains { $0.code == .storeEmpty })
    }

    @Test func reportsProgressEndingFinished() async throws {
        let events = Mutex<[DiscoveryEvent]>([])
        _ = try await makePlanner(fake()) { event in events.withLock { $0.append(event) } }.makePlan(request())
        let all = events.withLock { $0 }
        #expect(all.first?.phase == .resolvingStore)
        let last = try #require(all.last)
        #expect(last.phase == .finished)
        #expect(last.total == 9 && last.scanned == 9 && last.storeKeys == 3 && last.evidenceCollected == 3)
    }
}
