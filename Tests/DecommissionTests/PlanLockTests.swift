import Foundation
import Synchronization
import Testing

@testable import Decommission

struct PlanLockTests {
    @Test func secondHolderIsRefusedNamingTheFirst() async throws {
        let world = try ExecutorWorld()
        defer { world.cleanUp() }
        let since = Date(timeIntervalSince1970: 1_700_000_000)
        let lock = FilePlanLock(planPath: world.planPath)
        let lease = try await lock.acquire(as: .current(since: since))
        let error = try await #require(throws: DecommissionError.self) { _ = try await lock.acquire(as: .current(since: since)) }
        #expect(error.code == .lockHeld)
        #expect(error.message.contains("pid \(getpid())"))
        #expect(error.lockHolder == lease.holder)
        #expect(FilePlanLock.holder(planPath: world.planPath)?.since == since)
        var info = stat()
        #expect(stat(FilePlanLock.path(forPlan: world.planPath), &info) == 0 && info.st_mode & 0o777 == 0o600)
        await lease.release()
        await lease.release()
        let again = try await lock.acquire(as: .current(since: since))
        await again.release()
    }

    /// Two runs that start in the same instant: whichever loses names the winner (host, pid,
    /// since), never "an unknown process", even though the winner writes its record after flock.
    @Test func loserOfASimultaneousStartNamesTheHolder() async throws {
        let world = try ExecutorWorld()
        defer { world.cleanUp() }
        for round in 0..<50 {
            let since = Date(timeIntervalSince1970: 1_700_000_000 + Double(round))
            let outcomes = await withTaskGroup(of: Result<any LockLease, any Error>.self) { group in
                for _ in 0..<2 {
                    group.addTask {
                        do { return .success(try await FilePlanLock(planPath: world.planPath).acquire(as: .current(since: since))) }
                        catch { return .failure(error) }
                    }
                }
                var all: [Result<any LockLease, any Error>] = []
                for await outcome in group { all.append(outcome) }
                return all
            }
            let leases = outcomes.compactMap { try? $0.get() }
            let refusals = outcomes.compactMap { outcome -> DecommissionError? in
                guard case .failure(let error) = outcome else { return nil }
                return error as? DecommissionError
            }
            #expect(leases.count == 1 && refusals.count == 1, "round \(round)")
            for refusal in refusals {
                #expect(refusal.code == .lockHeld)
                #expect(refusal.lockHolder == LockHolder.current(since: since), "round \(round): \(refusal.message)")
                #expect(refusal.message.contains("pid \(getpid())"))
            }
            for lease in leases { await lease.release() }
        }
    }

    /// The loser arrives while the winner holds the flock but has not written its record yet.
    @Test func loserInsideTheWinnersWindowWaitsForTheRecord() async throws {
        let world = try ExecutorWorld()
        defer { world.cleanUp() }
        let since = Date(timeIntervalSince1970: 1_700_000_000)
        let locked = Mutex(false)
        let loserSawNoRecord = Mutex(false)
        // The winner holds its window open until the loser has met the missing record (bounded,
        // so a regression fails instead of hanging).
        let winner = FilePlanLock(
            planPath: world.planPath,
            afterLocking: {
                locked.withLock { $0 = true }
                for _ in 0..<5_000 where !loserSawNoRecord.withLock({ $0 }) { try? await Task.sleep(for: .milliseconds(1)) }
            }, whileRecordMissing: {})
        let loser = FilePlanLock(planPath: world.planPath, afterLocking: {}, whileRecordMissing: { loserSawNoRecord.withLock { $0 = true } })
        let won = Task.detached { try await winner.acquire(as: .current(since: since)) }
        while !locked.withLock({ $0 }) { await Task.yield() }
        let refusal = await Task.detached { () -> DecommissionError? in
            do {
                _ = try await loser.acquire(as: .current(since: since.addingTimeInterval(1)))
                return nil
            } catch {
                return error as? DecommissionError
            }
        }.value
        let lease = try await won.value
        #expect(loserSawNoRecord.withLock { $0 })
        #expect(refusal?.code == .lockHeld)
        #expect(refusal?.lockHolder == LockHolder.current(since: since))
        await lease.release()
    }
}
