import Foundation
import KMSAPI
import TestSupport
import Testing

@testable import Decommission

struct KeyScannerTests {
    typealias Seed = PlannerSeed

    private func scanner(_ fake: FakeKMS, maxDescribes: Int = 64) -> KeyScanner {
        KeyScanner(kms: fake, maxDescribesInFlight: maxDescribes, now: { Seed.now })
    }

    private func makeFake(_ account: FakeKMSAccount) -> FakeKMS { FakeKMS(account: account, time: VirtualTime(Seed.now)) }

    @Test func keepsOnlyTheStoresKeysAcrossManyPages() async throws {
        let kms = makeFake(Seed.state(ordinaryKeys: 2_500))
        let found = try await scanner(kms).scan(storeID: Seed.storeID) { $0.keyID.count }
        #expect(found.map(\.metadata.keyID) == ["aaaa0001-0000-4000-8000-000000000001", "aaaa0002-0000-4000-8000-000000000002", "aaaa0003-0000-4000-8000-000000000003"])
        #expect(await kms.operations.filter { $0 == "ListKeys" }.count == 3)
        #expect(await kms.operations.filter { $0 == "DescribeKey" }.count == 2_504)
        #expect(await kms.maxDescribesInFlight <= 64)
    }

    @Test func boundsDescribesInFlight() async throws {
        let kms = makeFake(Seed.state(ordinaryKeys: 300))
        _ = try await scanner(kms, maxDescribes: 4).scan(storeID: Seed.storeID) { _ in 0 }
        #expect(await kms.maxDescribesInFlight <= 4)
    }

    // The fake holds ListKeys page 2 until a DescribeKey has been served, so a scanner that
    // waited for the whole listing before describing would never finish.
    @Test(.timeLimit(.minutes(1)))
    func describesStartWhileLaterPagesAreComing() async throws {
        var state = Seed.state(ordinaryKeys: 1_500)
        state.holdLaterPagesUntilDescribe = true
        let kms = makeFake(state)
        _ = try await scanner(kms).scan(storeID: Seed.storeID) { _ in 0 }
        #expect((await kms.describesBeforeSecondPage ?? 0) > 0)
        #expect(await kms.operations.filter { $0 == "DescribeKey" }.count == 1_504)
    }

    @Test func keyVanishingDuringFollowUpIsSkipped() async throws {
        let kms = makeFake(Seed.state())
        let found = try await scanner(kms).scan(storeID: Seed.storeID) { metadata -> Int in
            if metadata.keyID.hasPrefix("aaaa0002") { throw KMSError(code: .keyNotFound, message: "gone.") }
            return 1
        }
        #expect(found.count == 2)
    }

    @Test func otherErrorsStopTheScan() async throws {
        let kms = makeFake(Seed.state())
        let error = try await #require(throws: KMSError.self) {
            try await scanner(kms).scan(storeID: Seed.storeID) { _ -> Int in throw KMSError(code: .serviceUnavailable, message: "down.") }
        }
        #expect(error.code == .serviceUnavailable)
    }
}
