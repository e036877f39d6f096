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

    /// Power loss can leave a complete-looking final line of garbage (NUL bytes the file system
    /// extended the file with): that record was never acknowledged, so it is dropped with a warning.
    @Test func garbageFinalLineIsDroppedWithAWarning() throws {
        let world = try ExecutorWorld()
        defer { world.cleanUp() }
        let journal = Journal(path: Journal.path(forPlan: world.planPath))
        try journal.append([try record(1, status: .running), try record(2, status: .done)], durable: true)
        var data = try #require(try AtomicFile.read(journal.path))
        data.append(Data(repeating: 0, count: 97) + Data("\n".utf8))
        try AtomicFile.write(data, to: journal.path)
        let contents = try journal.readContents()
        #expect(contents.records.map(\.seq) == [1, 2])
        #expect(contents.warnings.count == 1)
        #expect(contents.warnings.first?.contains("line 3") == true)
    }

    /// Every record carries a checksum of its line, so a well-formed record that was altered is
    /// told apart from a torn one: it is refused even as the final line.
    @Test func wellFormedFinalRecordWithAWrongChecksumIsRefused() throws {
        let world = try ExecutorWorld()
        defer { world.cleanUp() }
        let journal = Journal(path: Journal.path(forPlan: world.planPath))
        try journal.append([try record(1, status: .running), try record(2, status: .running)], durable: true)
        let bytes = try #require(try AtomicFile.read(journal.path))
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.split(separator: "\n").allSatisfy { $0.contains("\"checksum\":") })
        let altered = text.replacingOccurrences(of: "\"attempts\":2", with: "\"attempts\":9")
        #expect(altered != text)
        try AtomicFile.write(Data(altered.utf8), to: journal.path)
        let error = try #require(throws: DecommissionError.self) { _ = try journal.read() }
        #expect(error.code == .invalidJournal)
        #expect(error.message.contains("line 2"))
    }

    @Test func damagedMiddleRecordIsRefused() throws {
        let world = try ExecutorWorld()
        defer { world.cleanUp() }
        let journal = Journal(path: Journal.path(forPlan: world.planPath))
        try journal.append([try record(1, status: .running)], durable: true)
        var data = try #require(try AtomicFile.read(journal.path))
        data.append(Data(repeating: 0, count: 40) + Data("\n".utf8))
        data.append(try Journal.encode([try record(2, status: .done)]))
        try AtomicFile.write(data, to: journal.path)
        let error = try #require(throws: DecommissionError.self) { _ = try journal.read() }
        #expect(error.code == .invalidJournal)
    }

    /// Journals written by v0.1 have no checksums; they are read as before.
    @Test func journalWithoutChecksumsFromV01IsRead() throws {
        let world = try ExecutorWorld()
        defer { world.cleanUp() }
        let journal = Journal(path: Journal.path(forPlan: world.planPath))
        let encoder = JSONCoding.makeCompactEncoder()
        var data = Data()
        for record in [try record(1, status: .running), try record(2, status: .done)] {
            data.append(try encoder.encode(record))
            data.append(0x0A)
        }
        try AtomicFile.write(data, to: journal.path)
        #expect(try journal.read().map(\.seq) == [1, 2])
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
