import Foundation
import Testing

@testable import Decommission

struct StepGraphBuilderTests {
    typealias F = PlannerFixtures

    private func actions(_ steps: [Step]) -> [StepAction] { steps.map(\.action) }

    @Test func connectedCloudHSMStoreFollowsTheDocumentedOrder() throws {
        let steps = StepGraphBuilder.build(target: F.cloudHSMTarget(), keys: [F.key("k1")], options: PlanOptions())
        #expect(
            actions(steps) == [
                .verifyStore, .preflightRescan, .scheduleDeletion, .awaitDeletion, .rescanBeforeDisconnect, .disconnectStore,
                .awaitStoreDisconnected, .deleteStore, .verifyStoreDeleted,
            ])
        try StepGraphBuilder.validate(steps)
    }

    @Test func disconnectedStoreWithConnectGetsConnectSteps() throws {
        let target = F.cloudHSMTarget(state: "DISCONNECTED")
        let with = StepGraphBuilder.build(target: target, keys: [F.key("k1")], options: PlanOptions(connect: true))
        #expect(Array(actions(with).prefix(4)) == [.verifyStore, .connectStore, .awaitStoreConnected, .preflightRescan])
        let without = StepGraphBuilder.build(target: target, keys: [F.key("k1")], options: PlanOptions())
        #expect(!actions(without).contains(.connectStore))
        try StepGraphBuilder.validate(with)
    }

    @Test func observationDisablesEnabledKeysBeforeScheduling() throws {
        let keys = [F.key("k1"), F.key("k2", state: "Disabled")]
        let steps = StepGraphBuilder.build(target: F.cloudHSMTarget(), keys: keys, options: PlanOptions(observeDays: 3))
        #expect(steps.filter { $0.action == .disableKey }.map(\.keyID) == ["k1"])
        let observe = try #require(steps.first { $0.action == .observe })
        #expect(observe.dependsOn == [StepID(rawValue: "disable-key-k1")].compactMap { $0 })
        for schedule in steps where schedule.action == .scheduleDeletion {
            #expect(schedule.dependsOn == [observe.id])
        }
        try StepGraphBuilder.validate(steps)
    }

    @Test func pendingKeysOnlyGetAnAwaitStep() throws {
        let keys = [F.key("k1"), F.key("k2", state: "PendingDeletion", deletionDate: F.now)]
        let steps = StepGraphBuilder.build(target: F.cloudHSMTarget(), keys: keys, options: PlanOptions(observeDays: 1))
        let forK2 = steps.filter { $0.keyID == "k2" }
        #expect(forK2.map(\.action) == [.awaitDeletion])
        #expect(forK2.first?.dependsOn == [StepID(rawValue: "preflight-rescan")].compactMap { $0 })
        let rescan = try #require(steps.first { $0.action == .rescanBeforeDisconnect })
        #expect(Set(rescan.dependsOn.map(\.rawValue)) == ["await-deletion-k1", "await-deletion-k2"])
    }

    @Test func xksStoreHasNoConnectStepsEvenWhenAsked() {
        let steps = StepGraphBuilder.build(target: F.xksTarget(state: "DISCONNECTED"), keys: [F.key("k1")], options: PlanOptions(connect: true))
        #expect(!actions(steps).contains(.connectStore))
        #expect(actions(steps).contains(.disconnectStore))
    }

    @Test func emptyStoreGoesStraightToDisconnect() {
        let steps = StepGraphBuilder.build(target: F.cloudHSMTarget(), keys: [], options: PlanOptions(observeDays: 2))
        #expect(actions(steps) == [
            .verifyStore, .preflightRescan, .rescanBeforeDisconnect, .disconnectStore, .awaitStoreDisconnected, .deleteStore,
            .verifyStoreDeleted,
        ])
    }

    @Test func validateRejectsUnknownAndForwardDependencies() throws {
        let a = try #require(StepID(rawValue: "a"))
        let b = try #require(StepID(rawValue: "b"))
        let unknown = [Step(id: a, action: .verifyStore, dependsOn: [try #require(StepID(rawValue: "zzz"))])]
        #expect(throws: DecommissionError.self) { try StepGraphBuilder.validate(unknown) }
        let forward = [Step(id: a, action: .verifyStore, dependsOn: [b]), Step(id: b, action: .deleteStore)]
        let error = try #require(throws: DecommissionError.self) { try StepGraphBuilder.validate(forward) }
        #expect(error.code == .invalidGraph)
    }
}
