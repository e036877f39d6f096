import KMSAPI
import Testing

struct RetryQuotaTests {
    static let throttling = KMSError(code: .throttled, message: "Slow down.", retryability: .throttling)
    static let timeout = KMSError(code: .timeout, message: "Timed out.", retryability: .transient)
    static let refused = KMSError(code: .connectionRefused, message: "Refused.", retryability: .transient)

    @Test func startsFullAndChargesFivePerRetry() {
        let quota = RetryQuota()
        #expect(quota.available == 500)
        #expect(quota.acquireRetry(after: Self.throttling) == 5)
        #expect(quota.available == 495)
    }

    @Test(arguments: [timeout, refused])
    func chargesTenAfterTimeoutsAndConnectionErrors(error: KMSError) {
        let quota = RetryQuota()
        #expect(quota.acquireRetry(after: error) == 10)
        #expect(quota.available == 490)
    }

    @Test func refusesRetriesOnceEmpty() {
        let quota = RetryQuota()
        for _ in 0..<100 { #expect(quota.acquireRetry(after: Self.throttling) == 5) }
        #expect(quota.acquireRetry(after: Self.throttling) == nil)
        #expect(quota.available == 0)
    }

    @Test func refusesACostlierRetryThanTheBalance() {
        let quota = RetryQuota(capacity: 7)
        #expect(quota.acquireRetry(after: Self.timeout) == nil)
        #expect(quota.acquireRetry(after: Self.throttling) == 5)
        #expect(quota.available == 2)
    }

    @Test func successRefundsRetryCostOrAddsOneNeverAboveCapacity() {
        let quota = RetryQuota()
        let cost = quota.acquireRetry(after: Self.timeout)
        _ = quota.acquireRetry(after: Self.throttling)
        #expect(quota.available == 485)
        quota.recordSuccess(retryCost: cost)
        #expect(quota.available == 495)
        quota.recordSuccess(retryCost: nil)
        #expect(quota.available == 496)
        for _ in 0..<10 { quota.recordSuccess(retryCost: nil) }
        #expect(quota.available == 500)
    }

    @Test func concurrentRetriesNeverOverdraw() async {
        let quota = RetryQuota()
        let granted = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<300 { group.addTask { quota.acquireRetry(after: Self.throttling) != nil } }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(granted == 100)
        #expect(quota.available == 0)
    }
}
