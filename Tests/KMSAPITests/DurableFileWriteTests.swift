import Foundation
import KMSAPI
import Testing

struct DurableFileWriteTests {
    private func withDirectory(_ body: (String) throws -> Void) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("durable-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try body(directory)
    }

    @Test func replacesTheContentWithMode0600AndLeavesNoTemporaryFile() throws {
        try withDirectory { directory in
            let path = directory + "/cache.json"
            try Data("old".utf8).write(to: URL(fileURLWithPath: path))
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
            #expect(DurableFileWrite.replace(path, with: Data("new".utf8)) == nil)
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data("new".utf8))
            let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
            #expect(mode == 0o600)
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["cache.json"])
        }
    }

    @Test func aMissingFolderIsReportedNotCreated() throws {
        try withDirectory { directory in
            let failure = try #require(DurableFileWrite.replace(directory + "/absent/cache.json", with: Data("x".utf8)))
            #expect(failure.action.hasPrefix("create a temporary file beside"))
            #expect(!failure.reason.isEmpty)
            let error = #expect(throws: KMSError.self) { try SystemFileWriter.write(directory + "/absent/cache.json", Data("x".utf8)) }
            #expect(error?.code == .credentialsFailed)
        }
    }
}
