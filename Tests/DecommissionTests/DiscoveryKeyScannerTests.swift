import Foundation
import KMSAPI
import Testing

@testable import Decommission

struct KeyScannerTests {
    typealias Seed = PlannerFakeKMSSeed

    private func scanner(_ fake: PlannerFakeKMS, maxDescribes: Int = 64) throws -> KeyScanner {
        let endpoint = try #require(URL(string: "http://fake-kms.local"))
        return KeyScanner(kms: KMSClientGateway(client: PlannerFakeKMS.client(fake, endpoint: endpoint)), maxDescribesInFlight: maxDescribes, now: { Seed.now })
    }

    @Test func keepsOnlyTheStoresKeysAcrossManyPages() async throws {
        let fake = PlannerFakeKMS(Seed.state(ordinaryKeys: 2_500))
        let found = try await scanner(fake).scan(storeID: Seed.storeID) { $0.keyID.count }
        #expect(found.map(\.metadata.keyID) == ["aaaa0001-0000-4000-8000-000000000001", "aaaa0002-0000-4000-8000-000000000002", "aaaa0003-0000-4000-8000-000000000003"])
        #expect(fake.calls.filter { $0 == "ListKeys" }.count == 3)
        #expect(fake.calls.filter { $0 == "DescribeKey" }.count == 2_504)
        #expect(fake.maxDescribesInFlight <= 64)
    }

    @Test func boundsDescribesInFlight() async throws {
        let fake = PlannerFakeKMS(Seed.state(ordinaryKeys: 300))
        _ = try await scanner(fake, maxDescribes: 4).scan(storeID: Seed.storeID) { _ in 0 }
        #expect(fake.maxDescribesInFlight <= 4)
    }

    // The fake holds ListKeys page 2 until a DescribeKey has been served, so a scanner that
    // waited for the whole listing before describing would never finish.
    @Test(.timeLimit(.minutes(1)))
    func describesStartWhileLaterPagesAreComing() async throws {
        var state = Seed.state(ordinaryKeys: 1_500)
        state.holdLaterPagesUntilDescribe = true
        let fake = PlannerFakeKMS(state)
        _ = try await scanner(fake).scan(storeID: Seed.storeID) { _ in 0 }
        #expect((fake.describesBeforeSecondPage ?? 0) > 0)
        #expect(fake.calls.filter { $0 == "DescribeKey" }.count == 1_504)
    }

    @Test func keyVanishingDuringFollowUpIsSkipped() async throws {
        let fake = PlannerFakeKMS(Seed.state())
        let found = try await scanner(fake).scan(storeID: Seed.storeID) { metadata -> Int in
            if metadata.keyID.hasPrefix("aaaa0002") { throw KMSError(code: .keyNotFound, message: "gone.") }
            return 1
        }
        #expect(found.count == 2)
    }

    @Test func otherErrorsStopTheScan() async throws {
        let fake = PlannerFakeKMS(Seed.state())
        let error = try await #require(throws: KMSError.self) {
            try await scanner(fake).scan(storeID: Seed.storeID) { _ -> Int in throw KMSError(code: .serviceUnavailable, message: "down.") }
        }
        #expect(error.code == .serviceUnavailable)
    }
}
