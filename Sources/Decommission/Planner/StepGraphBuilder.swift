import Foundation

/// Builds a plan's step graph from the store, its keys and the options (pure).
///
/// The order follows AWS's documented decommission: verify; for a disconnected CloudHSM store
/// with `--connect`, connect first (KMS can only delete key material from a connected cluster);
/// rescan; optionally disable and observe; schedule each key's deletion; await each deletion;
/// rescan; disconnect; await DISCONNECTED; delete; verify deleted.
public enum StepGraphBuilder {
    /// Returns the steps in a dependency-respecting order.
    public static func build(target: PlanTarget, keys: [PlannedKey], options: PlanOptions) -> [Step] {
        var steps: [Step] = []
        func add(_ step: Step) -> StepID {
            steps.append(step)
            return step.id
        }

        var last = add(Step(id: .fixed(.verifyStore), action: .verifyStore))
        if needsConnect(target: target, options: options) {
            let connect = add(Step(id: .fixed(.connectStore), action: .connectStore, dependsOn: [last]))
            last = add(Step(id: .fixed(.awaitStoreConnected), action: .awaitStoreConnected, dependsOn: [connect]))
        }
        let preflight = add(Step(id: .fixed(.preflightRescan), action: .preflightRescan, dependsOn: [last]))

        let sortedKeys = keys.sorted { $0.keyID < $1.keyID }
        let toSchedule = sortedKeys.filter { !$0.wasPendingDeletion }
        var beforeScheduling = preflight
        if options.observeDays > 0, !toSchedule.isEmpty {
            // Keys already Disabled need no disable step; the observation still checks them.
            let disables = toSchedule.filter { $0.state != .disabled }.map {
                add(Step(id: .forKey(.disableKey, keyID: $0.keyID), action: .disableKey, keyID: $0.keyID, dependsOn: [preflight]))
            }
            beforeScheduling = add(
                Step(id: .fixed(.observe), action: .observe, dependsOn: disables.isEmpty ? [preflight] : disables))
        }

        var awaits: [StepID] = []
        for key in sortedKeys {
            var awaitDependency = preflight
            if !key.wasPendingDeletion {
                awaitDependency = add(
                    Step(
                        id: .forKey(.scheduleDeletion, keyID: key.keyID), action: .scheduleDeletion, keyID: key.keyID,
                        dependsOn: [beforeScheduling]))
            }
            awaits.append(
                add(Step(id: .forKey(.awaitDeletion, keyID: key.keyID), action: .awaitDeletion, keyID: key.keyID, dependsOn: [awaitDependency])))
        }

        let rescan = add(
            Step(id: .fixed(.rescanBeforeDisconnect), action: .rescanBeforeDisconnect, dependsOn: awaits.isEmpty ? [preflight] : awaits))
        let disconnect = add(Step(id: .fixed(.disconnectStore), action: .disconnectStore, dependsOn: [rescan]))
        let awaitDisconnected = add(
            Step(id: .fixed(.awaitStoreDisconnected), action: .awaitStoreDisconnected, dependsOn: [disconnect]))
        let delete = add(Step(id: .fixed(.deleteStore), action: .deleteStore, dependsOn: [awaitDisconnected]))
        _ = add(Step(id: .fixed(.verifyStoreDeleted), action: .verifyStoreDeleted, dependsOn: [delete]))
        return steps
    }

    /// Whether the plan connects the store first: only a CloudHSM store that is not connected,
    /// and only when asked, since connecting is itself a change an operator should choose.
    public static func needsConnect(target: PlanTarget, options: PlanOptions) -> Bool {
        target.isCloudHSM && options.connect && target.connectionState != .connected
            && target.connectionState != .connecting
    }

    /// Checks that every dependency names an earlier step (so the graph is acyclic).
    /// - Throws: `DecommissionError` with `plan.invalid-graph`.
    public static func validate(_ steps: [Step]) throws {
        var seen = Set<StepID>()
        for step in steps {
            for dependency in step.dependsOn where !seen.contains(dependency) {
                let known = steps.contains { $0.id == dependency }
                throw DecommissionError(
                    code: .invalidGraph,
                    message: known
                        ? "Plan step '\(step.id)' depends on '\(dependency)', which comes later: the graph has a cycle or is out of order."
                        : "Plan step '\(step.id)' depends on unknown step '\(dependency)'.")
            }
            guard seen.insert(step.id).inserted else {
                throw DecommissionError(code: .invalidGraph, message: "Plan step id '\(step.id)' appears twice.")
            }
        }
    }
}
