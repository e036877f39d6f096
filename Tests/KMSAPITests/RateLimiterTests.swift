import TestSupport
import KMSAPI
import Testing

struct RateLimiterTests {
    static let op: OperationName = "DisableKey"

    private func makeLimiter(rate: Double, clock: ManualClock) -> RateLimiter {
        RateLimiter(clock: clock, quotas: [Self.op: rate], headroom: 1)
    }

    @Test func sequentialAcquiresTakeOneIntervalEach() async throws {
        let clock = ManualClock()
        let limiter = makeLimiter(rate: 5, clock: clock)
        let count = 10
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for _ in 0..<count { try await limiter.acquire(Self.op) }
            }
            // The first request is free (a burst of one token); each later one waits 200 ms.
            for _ in 1..<count {
                await clock.waitForSleepers(1)
                clock.advanceToNextDeadline()
            }
            try await group.waitForAll()
        }
        #expect(clock.elapsed == .milliseconds(200) * (count - 1))
    }

    @Test func concurrentAcquirersGetDistinctSlots() async throws {
        let clock = ManualClock()
        let limiter = makeLimiter(rate: 5, clock: clock)
        let count = 8
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<count { group.addTask { try await limiter.acquire(Self.op) } }
            // One goes at once; the rest each reserve their own later slot and sleep until it.
            await clock.waitForSleepers(count - 1)
            for step in 1..<count {
                #expect(clock.nextDeadline == .milliseconds(200) * step)
                clock.advance(by: .milliseconds(200))
                #expect(clock.sleeperCount == count - 1 - step)
            }
            try await group.waitForAll()
        }
    }

    @Test func allowsABurstOfATenthOfTheRate() async throws {
        let clock = ManualClock()
        let limiter = makeLimiter(rate: 100, clock: clock)
        for _ in 0..<10 { try await limiter.acquire(Self.op) }
        #expect(clock.sleeperCount == 0)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await limiter.acquire(Self.op) }
            await clock.waitForSleepers(1)
            #expect(clock.nextDeadline == .milliseconds(10))
            clock.advance(by: .milliseconds(10))
            try await group.waitForAll()
        }
    }

    @Test func appliesScaleAndHeadroomToKMSQuotas() {
        let limiter = RateLimiter(clock: ManualClock(), scale: 0.1)
        #expect(limiter.baseRate(DescribeKey.name) == 2000 * 0.1 * 0.95)
        #expect(limiter.baseRate(GetKeyLastUsage.name) == 5 * 0.1 * 0.95)
        #expect(RateLimiter.kmsQuotas[ScheduleKeyDeletion.name] == 15)
        #expect(limiter.baseRate("GetKeyPolicy") == nil)
    }

    @Test func doesNotPaceUnknownOperationsOrTheUnlimitedLimiter() async throws {
        let clock = ManualClock()
        let limiter = makeLimiter(rate: 1, clock: clock)
        let unlimited = RateLimiter.unlimited
        for _ in 0..<100 {
            try await limiter.acquire("ListKeys")
            try await unlimited.acquire(Self.op)
        }
        #expect(clock.sleeperCount == 0)
        unlimited.recordThrottle(Self.op)
        #expect(unlimited.currentRate(Self.op) == nil)
    }

    @Test func throttleCutsRateToAFloorAndSuccessRecoversAdditively() {
        let clock = ManualClock()
        let limiter = makeLimiter(rate: 100, clock: clock)
        limiter.recordThrottle(Self.op)
        #expect(limiter.currentRate(Self.op) == 70)
        for _ in 0..<20 { limiter.recordThrottle(Self.op) }
        #expect(limiter.currentRate(Self.op) == 10)
        clock.advance(by: .seconds(2))
        limiter.recordSuccess(Self.op)
        #expect(limiter.currentRate(Self.op) == 20)
        clock.advance(by: .seconds(60))
        limiter.recordSuccess(Self.op)
        #expect(limiter.currentRate(Self.op) == 100)
    }

    @Test func throttleLengthensTheWaitBetweenRequests() async throws {
        let clock = ManualClock()
        let limiter = makeLimiter(rate: 10, clock: clock)
        limiter.recordThrottle(Self.op)
        try await limiter.acquire(Self.op)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await limiter.acquire(Self.op) }
            await clock.waitForSleepers(1)
            // 7 requests per second: about 143 ms apart instead of 100 ms.
            #expect(clock.nextDeadline == .nanoseconds(142_857_143))
            clock.advanceToNextDeadline()
            try await group.waitForAll()
        }
    }

    @Test func cancelledWaiterStopsWaiting() async throws {
        let clock = ManualClock()
        let limiter = makeLimiter(rate: 1, clock: clock)
        try await limiter.acquire(Self.op)
        let waiter = Task { try await limiter.acquire(Self.op) }
        await clock.waitForSleepers(1)
        waiter.cancel()
        await #expect(throws: CancellationError.self) { try await waiter.value }
        #expect(clock.sleeperCount == 0)
    }
}
