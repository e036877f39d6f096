import Foundation
import Synchronization
import Testing

@testable import KMSAPI

struct CachingCredentialProviderTests {
    /// Counts calls and hands out credentials that expire a fixed time after `now`.
    final class CountingProvider: CredentialProvider {
        let calls = Mutex(0)
        let lifetime: TimeInterval?
        let now: @Sendable () -> Date
        init(lifetime: TimeInterval?, now: @escaping @Sendable () -> Date) {
            self.lifetime = lifetime
            self.now = now
        }
        func credentials() async throws -> Credentials {
            let call = calls.withLock { count in
                count += 1
                return count
            }
            return Credentials(
                accessKeyID: "AKID\(call)", secretAccessKey: "s", expiration: lifetime.map { now().addingTimeInterval($0) })
        }
    }

    /// Blocks every caller until `open()`; counts calls.
    actor Gate: CredentialProvider {
        private var isOpen = false
        private var waiters: [CheckedContinuation<Void, Never>] = []
        private(set) var calls = 0
        let result: Credentials
        init(result: Credentials) { self.result = result }
        func credentials() async throws -> Credentials {
            calls += 1
            if !isOpen { await withCheckedContinuation { waiters.append($0) } }
            return result
        }
        func open() {
            isOpen = true
            for waiter in waiters { waiter.resume() }
            waiters = []
        }
    }

    private static let start = Date(timeIntervalSince1970: 1_700_000_000)

    @Test func refreshesOnlyWithinFifteenMinutesOfExpiration() async throws {
        let clock = ManualNow(Self.start)
        let base = CountingProvider(lifetime: 3600, now: clock.now)
        let cache = CachingCredentialProvider(base: base, now: clock.now)
        #expect(CachingCredentialProvider.refreshWindow == 900)
        #expect(try await cache.credentials().accessKeyID == "AKID1")
        clock.advance(by: 3600 - 901)
        #expect(try await cache.credentials().accessKeyID == "AKID1")
        clock.advance(by: 2)
        #expect(try await cache.credentials().accessKeyID == "AKID2")
        #expect(base.calls.withLock { $0 } == 2)
    }

    struct FailingProvider: CredentialProvider {
        let error: KMSError
        func credentials() async throws -> Credentials { throw error }
    }

    @Test func retryableFetchFailuresNeverLookLikeAnAppliedChange() async throws {
        let lost = KMSError(code: .connectionLost, message: "The connection to https://sts.us-east-1.amazonaws.com was lost.", retryability: .transient)
        let cache = CachingCredentialProvider(base: FailingProvider(error: lost), now: { Self.start })
        let error = try #require(await #expect(throws: KMSError.self) { try await cache.credentials() })
        #expect(error.code == .credentialsFailed)
        #expect(error.isRetryable)
        #expect(!error.mayHaveBeenApplied)
        #expect(error.message.contains("sts.us-east-1"))
    }

    @Test func signInRequiredPassesThroughUnchanged() async throws {
        let signIn = KMSError(code: .signInRequired, message: "Run aws sso login.")
        let cache = CachingCredentialProvider(base: FailingProvider(error: signIn), now: { Self.start })
        let error = try #require(await #expect(throws: KMSError.self) { try await cache.credentials() })
        #expect(error.code == .signInRequired)
    }

    @Test func longTermCredentialsAreCachedForever() async throws {
        let clock = ManualNow(Self.start)
        let base = CountingProvider(lifetime: nil, now: clock.now)
        let cache = CachingCredentialProvider(base: base, now: clock.now)
        _ = try await cache.credentials()
        clock.advance(by: 10 * 365 * 86_400)
        #expect(try await cache.credentials().accessKeyID == "AKID1")
        #expect(base.calls.withLock { $0 } == 1)
    }

    @Test func failedRefreshIsRetriedByTheNextCall() async throws {
        final class Flaky: CredentialProvider {
            let calls = Mutex(0)
            func credentials() async throws -> Credentials {
                let call = calls.withLock { count in
                    count += 1
                    return count
                }
                if call == 1 { throw KMSError(code: .credentialsFailed, message: "First call fails.") }
                return Credentials(accessKeyID: "AKIDOK", secretAccessKey: "s")
            }
        }
        let cache = CachingCredentialProvider(base: Flaky(), now: { Self.start })
        await #expect(throws: KMSError.self) { try await cache.credentials() }
        #expect(try await cache.credentials().accessKeyID == "AKIDOK")
    }

    @Test func concurrentCallersShareOneRefresh() async throws {
        let callers = 8
        // Already expired, so any call that did not join the in-flight refresh would start another.
        let expired = Credentials(accessKeyID: "AKIDSHARED", secretAccessKey: "s", expiration: Self.start)
        let gate = Gate(result: expired)
        let (events, continuation) = AsyncStream.makeStream(of: CachingCredentialProvider.Event.self)
        let cache = CachingCredentialProvider(base: gate, now: { Self.start }, refreshWindow: 300) { continuation.yield($0) }
        let results = try await withThrowingTaskGroup(of: Credentials.self) { group in
            for _ in 0..<callers { group.addTask { try await cache.credentials() } }
            // Open the gate only once every caller is inside the cache: one refreshing, the rest waiting.
            var seen = 0
            for await _ in events {
                seen += 1
                if seen == callers { break }
            }
            await gate.open()
            var all: [Credentials] = []
            for try await credentials in group { all.append(credentials) }
            return all
        }
        #expect(results.count == callers)
        #expect(results.allSatisfy { $0.accessKeyID == "AKIDSHARED" })
        #expect(await gate.calls == 1)
    }
}
