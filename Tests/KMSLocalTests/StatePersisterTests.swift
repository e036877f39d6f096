import Foundation
import KMSAPI
import Testing
@testable import KMSLocal

/// Round trip of the model through the state file.
struct StatePersisterTests {
    @Test func savedStateLoadsBackWithTheSameKeysStoresAndMode() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kms-local-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("state.json").path
        let model = try ModelFixtures.makeModel(seed: ModelFixtures.storesSeed(state: "CONNECTED"))
        _ = try model.scheduleKeyDeletion(.init(keyID: ModelFixtures.hsmKey, pendingWindowInDays: 7))
        _ = try model.tagResource(.init(keyID: ModelFixtures.xksKey, tags: [Tag(tagKey: "t", tagValue: "v")]))
        StatePersister(path: path, model: model, onError: { Issue.record("\($0)") }).flush()

        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let seed = try SeedFile.makeDecoder().decode(SeedFile.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        let reloaded = try ModelFixtures.makeModel(seed: seed)
        #expect(try reloaded.describeKey(.init(keyID: ModelFixtures.hsmKey)) == model.describeKey(.init(keyID: ModelFixtures.hsmKey)))
        #expect(try reloaded.listResourceTags(.init(keyID: ModelFixtures.xksKey)).tags == [Tag(tagKey: "t", tagValue: "v")])
        #expect(try reloaded.describeCustomKeyStores(.init()) == model.describeCustomKeyStores(.init()))
        #expect(try reloaded.listAliases(.init()).aliases?.compactMap(\.aliasName).filter { !$0.hasPrefix("alias/aws/") } == ["alias/hsm"])
    }
}

/// Deterministic fault injection.
struct FaultInjectorTests {
    @Test func sameSeedGivesTheSameDecisionsAndReadsOnlyFailBeforeApplying() {
        let first = FaultInjector(rate: 0.5, seed: 42)
        let second = FaultInjector(rate: 0.5, seed: 42)
        let decisions = (0..<200).map { first.decide(isMutating: $0 % 2 == 0) }
        #expect(decisions == (0..<200).map { second.decide(isMutating: $0 % 2 == 0) })
        #expect(decisions.enumerated().allSatisfy { $0.offset % 2 == 0 || $0.element != .dropAfterApplying })
        #expect(decisions.contains(.dropAfterApplying))
        #expect(decisions.contains(.internalErrorBeforeApplying))
        #expect(decisions.contains(.none))
        #expect(FaultInjector(rate: 0, seed: 1).decide(isMutating: true) == .none)
    }
}
