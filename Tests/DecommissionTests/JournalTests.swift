import Foundation
import Testing

@testable import Decommission

struct JournalTests {
    private func record(_ seq: Int, status: StepStatus) throws -> JournalRecord {
        var step = Step(id: try #require(StepID(rawValue: "verify-store")), action: .verifyStore)
        step.status = status
        step.attempts = seq
        return JournalRecord(seq: seq, time: Date(timeIntervalSince1970: 1_700_000_000), step: step)
    }

    @Test func tornLastLineIsIgnored() throws {
        let world = try ExecutorWorld()
        defer { world.cleanUp() }
        let journal = Journal(path: Journal.path(forPlan: world.planPath))
        try journal.append([try record(1, status: .running), try record(2, status: .done)], durable: true)
        var data = try #require(try AtomicFile.read(journal.path))
        data.append(Data("{\"seq\":3,\"time\":\"2023-".utf8))
        try AtomicFile.write(data, to: journal.path)
        #expect(try journal.read().map(\.seq) == [1, 2])
    }

    @Test func corruptionBeforeTheLastLineIsAnError() throws {
        let world = try ExecutorWorld()
        defer { world.cleanUp() }
        let journal = Journal(path: Journal.path(forPlan: world.planPath))
        try AtomicFile.write(Data("garbage\n".utf8) + (try Journal.encode([try record(1, status: .done)])), to: journal.path)
        let error = try #require(throws: DecommissionError.self) { _ = try journal.read() }
        #expect(error.code == .invalidJournal)
    }

    @Test func replayAppliesRecordsInFileOrder() async throws {
        let world = try ExecutorWorld()
        defer { world.cleanUp() }
        var plan = try await world.makePlan(keyIDs: [keyID(1)])
        // A later run restarts seq at 1; file order, not seq, decides.
        Journal.replay([try record(5, status: .running), try record(1, status: .done)], onto: &plan)
        #expect(plan.steps[0].status == .done)
        #expect(plan.steps[0].attempts == 1)
    }

    @Test func foldWritesPlanAndEmptiesJournal() async throws {
        let world = try ExecutorWorld()
        defer { world.cleanUp() }
        _ = try await world.makePlan(keyIDs: [keyID(1)])
        let store = FileCheckpointStore(planPath: world.planPath)
        try store.append([try record(1, status: .done)], durable: true)
        let plan = try store.load()
        #expect(plan.steps[0].status == .done)
        try store.fold(plan)
        #expect(store.journalBytes == 0)
        #expect(try Journal(path: Journal.path(forPlan: world.planPath)).read().isEmpty)
        #expect(try FileCheckpointStore(planPath: world.planPath).load().steps[0].status == .done)
    }
}
