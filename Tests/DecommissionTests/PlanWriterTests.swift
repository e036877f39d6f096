import Foundation
import Testing

@testable import Decommission

struct PlanWriterTests {
    typealias F = PlannerFixtures

    @Test func createsTheFolderAndWritesMode0600() throws {
        try F.withTemporaryDirectory { dir in
            let plan = try F.representativePlan()
            let path = PlanWriter.defaultPath(for: plan.target.keyStoreID, directory: dir + "/plans")
            try PlanWriter().write(plan, to: path)
            #expect(try PlanFileStore().read(path) == plan)
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
            F.exportArtifact(path, name: "writer-representative")
        }
    }

    @Test func replacesAPlanThatHasNotStarted() throws {
        try F.withTemporaryDirectory { dir in
            let path = dir + "/p.json"
            try PlanWriter().write(try F.representativePlan(), to: path)
            let second = try F.plan(keys: [F.key("k9")], planID: "plan-0002")
            try PlanWriter().write(second, to: path)
            #expect(try PlanFileStore().read(path).planID == "plan-0002")
        }
    }

    @Test func refusesToReplaceAStartedPlanUnlessForced() throws {
        try F.withTemporaryDirectory { dir in
            let path = dir + "/p.json"
            var started = try F.representativePlan()
            started.steps[0].status = .done
            try PlanFileStore().write(started, to: path)
            let fresh = try F.plan(keys: [F.key("k9")], planID: "plan-0002")
            let error = try #require(throws: DecommissionError.self) { try PlanWriter().write(fresh, to: path) }
            #expect(error.code == .planExists)
            #expect(try PlanFileStore().read(path).planID == started.planID)
            try PlanWriter().write(fresh, to: path, force: true)
            #expect(try PlanFileStore().read(path).planID == "plan-0002")
        }
    }

    @Test func refusesWhenAJournalShowsProgress() throws {
        try F.withTemporaryDirectory { dir in
            let path = dir + "/p.json"
            try PlanWriter().write(try F.representativePlan(), to: path)
            try Data("{}\n".utf8).write(to: URL(fileURLWithPath: dir + "/p.journal.jsonl"))
            let error = try #require(throws: DecommissionError.self) { try PlanWriter().write(try F.representativePlan(), to: path) }
            #expect(error.code == .planExists)
        }
    }

    @Test func refusesToReplaceAFileThatIsNotAPlan() throws {
        try F.withTemporaryDirectory { dir in
            let path = dir + "/p.json"
            try Data("not json".utf8).write(to: URL(fileURLWithPath: path))
            let error = try #require(throws: DecommissionError.self) { try PlanWriter().write(try F.representativePlan(), to: path) }
            #expect(error.code == .planExists)
        }
    }

    @Test func unwritablePathLeavesNoFile() throws {
        try F.withTemporaryDirectory { dir in
            let locked = dir + "/locked"
            try FileManager.default.createDirectory(atPath: locked, withIntermediateDirectories: false)
            try FileManager.default.setAttributes([.posixPermissions: 0o500], ofItemAtPath: locked)
            defer { try? FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: locked) }
            // Root ignores folder permissions; then a path under a regular file stands in.
            let blocker = dir + "/file"
            try Data().write(to: URL(fileURLWithPath: blocker))
            for path in [locked + "/p.json", blocker + "/sub/p.json"] where !(path.hasPrefix(locked) && getuid() == 0) {
                let error = try #require(throws: DecommissionError.self) { try PlanWriter().write(try F.representativePlan(), to: path) }
                #expect(error.code == .unwritableOutput)
            }
            #expect(try FileManager.default.contentsOfDirectory(atPath: locked).isEmpty)
        }
    }
}
