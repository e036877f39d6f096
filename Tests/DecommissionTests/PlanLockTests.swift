import Foundation
import Testing

@testable import Decommission

struct PlanLockTests {
    @Test func secondHolderIsRefusedNamingTheFirst() throws {
        let world = try ExecutorWorld()
        defer { world.cleanUp() }
        let since = Date(timeIntervalSince1970: 1_700_000_000)
        let lock = try PlanLock.acquire(planPath: world.planPath, now: since)
        let error = try #require(throws: DecommissionError.self) { _ = try PlanLock.acquire(planPath: world.planPath, now: since) }
        #expect(error.code == .lockHeld)
        #expect(error.message.contains("pid \(getpid())"))
        #expect(PlanLock.holder(planPath: world.planPath)?.since == since)
        var info = stat()
        #expect(stat(PlanLock.path(forPlan: world.planPath), &info) == 0 && info.st_mode & 0o777 == 0o600)
        lock.release()
        lock.release()
        let again = try PlanLock.acquire(planPath: world.planPath, now: since)
        again.release()
    }
}
