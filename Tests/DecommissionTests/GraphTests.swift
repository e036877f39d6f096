import Foundation
import Testing

@testable import Decommission

struct GraphRendererTests {
    private func smallPlan() throws -> Plan {
        let target = PlanTarget(
            accountID: "111122223333", region: "us-east-1", endpoint: "http://127.0.0.1:4599", keyStoreID: "cks-1", keyStoreName: nil,
            keyStoreType: "EXTERNAL_KEY_STORE", cloudHsmClusterID: nil, xksProxy: nil, connectionState: "CONNECTED")
        let key = PlannedKey(
            keyID: "k1", arn: "arn:aws:kms:us-east-1:111122223333:key/k1", state: "Disabled", creationDate: nil, description: nil, aliases: [],
            grantCount: 0, tags: [], deletionDate: nil, xksKeyID: nil, usage: UsageEvidence(verdict: .neverUsed, trackingStartDate: nil))
        var steps = StepGraphBuilder.build(target: target, keys: [key], options: PlanOptions())
        steps[0].status = .done
        steps[1].status = .failed
        return Plan(
            planID: "p", createdAt: Date(timeIntervalSince1970: 0), toolVersion: "t", target: target, options: PlanOptions(), keys: [key],
            findings: [], steps: steps)
    }

    @Test func dotIsDeterministicAndColoursByStatus() throws {
        let plan = try smallPlan()
        let dot = GraphRenderer.dot(plan)
        #expect(dot == GraphRenderer.dot(plan))
        let lines = dot.split(separator: "\n").map(String.init)
        #expect(lines[0] == "digraph \"cks-1\" {")
        #expect(lines.contains("  \"verify-store\" [label=\"verify-store\\n[done]\", fillcolor=\"#9be39b\"];"))
        #expect(lines.contains("  \"preflight-rescan\" [label=\"preflight-rescan\\n[failed]\", fillcolor=\"#ff8a8a\"];"))
        #expect(lines.contains("  \"verify-store\" -> \"preflight-rescan\";"))
        #expect(lines.contains("  \"schedule-deletion-k1\" -> \"await-deletion-k1\";"))
        #expect(lines.last == "}")
    }

    @Test func mermaidIsDeterministicAndClassesByStatus() throws {
        let plan = try smallPlan()
        let mermaid = GraphRenderer.mermaid(plan)
        let lines = mermaid.split(separator: "\n").map(String.init)
        #expect(lines[0] == "flowchart TD")
        #expect(lines[1] == "  verify_store[\"verify-store<br/>[done]\"]:::done")
        #expect(lines.contains("  await_deletion_k1[\"await-deletion<br/>k1<br/>[pending]\"]:::pending"))
        #expect(lines.contains("  verify_store --> preflight_rescan"))
        #expect(lines.contains("  classDef failed fill:#ff8a8a,stroke:#333"))
    }
}
