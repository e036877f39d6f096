import Foundation
import Testing

@testable import Decommission

struct PlanSummaryRendererTests {
    typealias F = PlannerFixtures

    @Test func matchesTheGoldenSummary() throws {
        let url = try #require(Bundle.module.url(forResource: "plan-summary-golden", withExtension: "txt", subdirectory: "Fixtures"))
        let golden = try String(contentsOf: url, encoding: .utf8)
        let rendered = PlanSummaryRenderer.render(try F.representativePlan(), now: F.now, color: false)
        #expect(rendered == golden)
    }

    @Test func usesColourOnlyWhenAsked() throws {
        let plan = try F.representativePlan()
        #expect(!PlanSummaryRenderer.render(plan, now: F.now, color: false).contains("\u{1B}["))
        #expect(PlanSummaryRenderer.render(plan, now: F.now, color: true).contains("\u{1B}[1m"))
    }

    @Test func repeatedWarningsCollapseButEachBlockingFindingStaysOnItsOwnLine() throws {
        let quiet = (1...5).map { F.key("aaaa000\($0)", aliases: ["alias/a\($0)"]) }
        let used = (1...4).map { F.key("bbbb000\($0)", usage: F.used(daysAgo: 1)) }
        let plan = try F.plan(keys: quiet + used)
        let lines = PlanSummaryRenderer.render(plan, now: F.now, color: false).split(separator: "\n").map(String.init)
        let enabled = lines.filter { $0.contains("key-enabled-no-observation") }
        #expect(enabled.count == 1)
        #expect(enabled.first?.contains("9 keys are Enabled") == true)
        #expect(enabled.first?.contains("and 6 more") == true)
        #expect(lines.filter { $0.contains("key-has-aliases") }.count == 1)
        #expect(lines.filter { $0.contains("BLOCK key-recently-used") }.count == 4)
        // The plan itself keeps one finding per key.
        #expect(plan.findings.filter { $0.code == .keyEnabledNoObservation }.count == 9)
    }

    @Test func threeOrFewerRepeatsAreListedOneByOne() throws {
        let plan = try F.plan(keys: (1...3).map { F.key("cccc000\($0)") })
        let text = PlanSummaryRenderer.render(plan, now: F.now, color: false)
        #expect(text.components(separatedBy: "key-enabled-no-observation").count - 1 == 3)
    }

    @Test func blockedPlanSaysSo() throws {
        let plan = try F.plan(keys: [F.key("k1", usage: F.used(daysAgo: 1))])
        #expect(plan.blocked)
        let text = PlanSummaryRenderer.render(plan, now: F.now, color: false)
        #expect(text.contains("BLOCKED: 1 unwaived blocking finding"))
        #expect(!text.contains("READY"))
    }

    @Test func describesAnXKSStoreByItsProxy() throws {
        let plan = try F.plan(target: F.xksTarget(), keys: [])
        let text = PlanSummaryRenderer.render(plan, now: F.now, color: false)
        #expect(text.contains("Proxy:      PUBLIC_ENDPOINT https://xks.example.com/kms/xks/v1"))
        #expect(text.contains("Earliest point of no return: none (no keys)"))
    }

    @Test func keyTableColumnsAreAligned() throws {
        let text = PlanSummaryRenderer.render(try F.representativePlan(), now: F.now, color: false)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let header = try #require(lines.firstIndex { $0.hasPrefix("  KEY ID") })
        let column = try #require(lines[header].range(of: "CREATED")).lowerBound.utf16Offset(in: lines[header])
        for row in lines[(header + 1)...(header + 3)] {
            let date = row.dropFirst(column).prefix(10)
            #expect(date.count == 10 && date.hasPrefix("202"))
        }
    }
}
