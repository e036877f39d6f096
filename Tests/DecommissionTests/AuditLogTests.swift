import Foundation
import Testing

@testable import Decommission

struct AuditLogTests {
    private func write(_ count: Int, to path: String) throws {
        let log = AuditLog(path: path, planID: "plan-1")
        for n in 0..<count {
            try log.record(
                time: Date(timeIntervalSince1970: 1_700_000_000 + Double(n)), stepID: StepID(rawValue: "schedule-deletion-\(n)"),
                operation: "ScheduleKeyDeletion", keyID: "key-\(n)", keyStoreID: nil, outcome: .ok, requestID: "req-\(n)")
        }
    }

    @Test func chainVerifiesAcrossReopens() throws {
        let world = try ExecutorWorld()
        defer { world.cleanUp() }
        let path = AuditLog.path(forPlan: world.planPath)
        try write(2, to: path)
        try write(1, to: path)
        #expect(try AuditLog.verify(path: path) == .ok(count: 3))
        let lines = try #require(try AtomicFile.read(path)).split(separator: 0x0A)
        let third = try JSONCoding.makeDecoder().decode(AuditRecord.self, from: Data(lines[2]))
        #expect(third.seq == 3)
        var info = stat()
        #expect(stat(path, &info) == 0 && info.st_mode & 0o777 == 0o600)
    }

    @Test func handEditedRecordIsReported() throws {
        let world = try ExecutorWorld()
        defer { world.cleanUp() }
        let path = AuditLog.path(forPlan: world.planPath)
        try write(3, to: path)
        let text = String(decoding: try #require(try AtomicFile.read(path)), as: UTF8.self)
        let edited = text.replacingOccurrences(of: "\"keyId\":\"key-1\"", with: "\"keyId\":\"key-9\"")
        #expect(edited != text)
        try AtomicFile.write(Data(edited.utf8), to: path)
        #expect(try AuditLog.verify(path: path) == .broken(line: 2, reason: "hash does not match the record's content"))
    }

    @Test func removedRecordBreaksTheChain() throws {
        let world = try ExecutorWorld()
        defer { world.cleanUp() }
        let path = AuditLog.path(forPlan: world.planPath)
        try write(3, to: path)
        var lines = try #require(try AtomicFile.read(path)).split(separator: 0x0A).map { Data($0) }
        lines.remove(at: 1)
        try AtomicFile.write(Data(lines.joined(separator: [0x0A])) + [0x0A], to: path)
        #expect(try AuditLog.verify(path: path) == .broken(line: 2, reason: "prevHash does not match the previous record's hash"))
    }
}
