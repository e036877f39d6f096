import Foundation
import Synchronization
import KMSAPI
import TestSupport
import Testing

@testable import Decommission

/// The plan-time CloudTrail sweep survives an interruption (FakeKMS + FakeCloudTrail): finished
/// keys are read again only over the gap since, a key in progress goes on from its NextToken, and
/// a progress file of another store or option is never used.
struct PlanSweepResumeTests {
    typealias Seed = PlannerSeed
    let trail = FakeCloudTrail()
    static let keyA = "aaaa0001-0000-4000-8000-000000000001"
    static let keyB = "aaaa0002-0000-4000-8000-000000000002"
    static let keyC = "aaaa0003-0000-4000-8000-000000000003"
    static let keys = [keyA, keyB, keyC]

    func arn(_ id: String) -> String { "arn:aws:kms:us-east-1:111122223333:key/\(id)" }

    /// Interrupts the sweep (a cancellation, as Ctrl-C cancels a running plan) at the lookup that
    /// carries `token`, once `others` lookups have been served.
    actor InterruptingGateway: CloudTrailGateway {
        let inner: FakeCloudTrail
        let token: String
        let others: Int
        private(set) var served = 0
        init(_ inner: FakeCloudTrail, atToken token: String, afterServing others: Int) {
            self.inner = inner
            self.token = token
            self.others = others
        }
        func lookupEvents(_ request: LookupEventsRequest) async throws -> LookupEventsResponse {
            if request.nextToken == token {
                // Bounded: the other keys' lookups run concurrently and are served meanwhile.
                for _ in 0..<10_000 where served < others { await Task.yield() }
                throw CancellationError()
            }
            let page = try await inner.lookupEvents(request)
            served += 1
            return page
        }
    }

    func plan(
        gateway: any CloudTrailGateway, progress: SweepProgressFile, at now: Date, options: PlanOptions = PlanOptions(),
        notes: NoteLog = NoteLog()
    ) async throws -> Plan {
        let kms = FakeKMS(account: Seed.state(), time: VirtualTime(now))
        let checkpointing = SweepCheckpointing(note: { notes.append($0) }, file: { _ in progress })
        let planner = Planner(
            kms: kms, now: { now }, makeID: { "plan-test" }, toolVersion: "0.1.0-test",
            cloudTrail: CloudTrailEvidenceSource(gateway: gateway), checkpointing: checkpointing)
        return try await planner.makePlan(PlanRequest(keyStore: Seed.storeID, options: options, region: "us-east-1", endpoint: "http://fake"))
    }

    final class NoteLog: Sendable {
        private let lines = Mutex<[String]>([])
        func append(_ line: String) { lines.withLock { $0.append(line) } }
        var all: [String] { lines.withLock { $0 } }
    }

    func withDirectory(_ body: (String) async throws -> Void) async throws {
        let path = NSTemporaryDirectory() + "sweep-resume-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: path) }
        try await body(path)
    }

    @Test func anInterruptedSweepResumesWithoutRereadingFinishedKeysAndSweepsTheGap() async throws {
        // keyA: 120 attempts (3 pages); keyB, keyC: one page each.
        await trail.record("Decrypt", keyARN: arn(Self.keyA), at: Seed.now.addingTimeInterval(-5 * 86_400), count: 120)
        await trail.record("Decrypt", keyARN: arn(Self.keyB), at: Seed.now.addingTimeInterval(-3 * 86_400), count: 2)
        try await withDirectory { directory in
            let file = SweepProgressFile(forPlan: directory + "/plan.json")
            #expect(file.path == directory + "/plan.sweep.json")
            // keyA's third page is interrupted once keyB and keyC are read (and keyA's first two pages).
            let interrupted = InterruptingGateway(trail, atToken: "100", afterServing: 4)
            await #expect(throws: CancellationError.self) { try await plan(gateway: interrupted, progress: file, at: Seed.now) }
            let saved = try #require(try file.load())
            var info = stat()
            #expect(stat(file.path, &info) == 0 && info.st_mode & 0o777 == 0o600)
            let finished = saved.keys.filter { $0.value.nextToken == nil }
            #expect(Set(finished.keys) == [arn(Self.keyB), arn(Self.keyC)])
            #expect(saved.keys[arn(Self.keyA)]?.nextToken == "100" && saved.keys[arn(Self.keyA)]?.eventsRead == 100)
            let firstRun = await trail.requests.count

            // One minute later, a failed call on keyB lands after the saved window's end.
            let later = Seed.now.addingTimeInterval(60)
            await trail.record("Encrypt", keyARN: arn(Self.keyB), at: Seed.now.addingTimeInterval(-15 * 60 + 30))
            let notes = NoteLog()
            let resumed = try await plan(gateway: trail, progress: file, at: later, notes: notes)
            let second = await Array(trail.requests.dropFirst(firstRun))
            #expect(notes.all.contains { $0.contains("Resuming the CloudTrail sweep") && $0.contains("\(finished.count) keys read before") })

            let newEnd = later.addingTimeInterval(-15 * 60)
            let savedEnd = try #require(saved.keys.values.map(\.windowEnd).min())
            for (keyARN, entry) in saved.keys {
                let lookups = second.filter { $0.lookupAttributes?.first?.attributeValue == keyARN }
                if entry.nextToken == nil {
                    // A finished key is not read again on its own.
                    #expect(lookups.isEmpty, "\(keyARN)")
                } else {
                    // A key in progress goes on from its token, over the window it used.
                    #expect(lookups.count == 1 && lookups.first?.nextToken == entry.nextToken && lookups.first?.endTime == entry.windowEnd)
                }
            }
            // One shared lookup reads the gap of every resumed key.
            let shared = second.filter { $0.lookupAttributes?.first?.attributeKey == .resourceType }
            #expect(shared.count == 1 && shared.first?.lookupAttributes?.first?.attributeValue == "AWS::KMS::Key")
            #expect(shared.first?.startTime == savedEnd.addingTimeInterval(1) && shared.first?.endTime == newEnd)
            // A fresh sweep reads 3 + 1 + 1 pages; the resumed one keyA's last page and the shared gap.
            #expect(second.count == 2)
            // Every key has its evidence, none counted twice, the gap's event included.
            let byKey = Dictionary(uniqueKeysWithValues: resumed.keys.map { ($0.keyID, $0.cloudTrail) })
            #expect(byKey[Self.keyA]??.attempts.first?.count == 120)
            #expect(byKey[Self.keyB]??.attempts.map(\.count).reduce(0, +) == 3)
            #expect(byKey[Self.keyB]??.attempts.contains { $0.operation == "Encrypt" } == true)
            #expect(byKey[Self.keyC]??.eventsRead == 0)
            #expect(resumed.evidence?.keysRead == 3)
        }
    }

    @Test func aBusyGapFallsBackToEachKeysOwnGapLookup() async throws {
        try await withDirectory { directory in
            let file = SweepProgressFile(forPlan: directory + "/plan.json")
            _ = try await plan(gateway: trail, progress: file, at: Seed.now)
            // The plan was not written (the test never writes it), so its progress file remains, all keys finished.
            let saved = try #require(try file.load())
            #expect(saved.keys.count == 3 && saved.keys.values.allSatisfy { $0.nextToken == nil })
            // 60 events of another key during the gap: more than the budget of max(1, 3 / 4) pages.
            await trail.record("Decrypt", keyARN: arn("ffff0000-0000-4000-8000-000000000009"), at: Seed.now.addingTimeInterval(-15 * 60 + 1), errorCode: nil, count: 60)
            await trail.record("Decrypt", keyARN: arn(Self.keyC), at: Seed.now.addingTimeInterval(-15 * 60 + 40))
            let before = await trail.requests.count
            let resumed = try await plan(gateway: trail, progress: file, at: Seed.now.addingTimeInterval(120))
            let lookups = await Array(trail.requests.dropFirst(before))
            #expect(lookups.filter { $0.lookupAttributes?.first?.attributeKey == .resourceType }.count == 1)
            let own = lookups.filter { $0.lookupAttributes?.first?.attributeKey == .resourceName }
            #expect(own.count == 3 && own.allSatisfy { $0.startTime == saved.keys.values.first?.windowEnd.addingTimeInterval(1) })
            #expect(resumed.keys.first { $0.keyID == Self.keyC }?.cloudTrail?.attempts.first?.count == 1)
        }
    }

    @Test func aProgressFileOfAnotherStoreOrOptionIsNotUsed() async throws {
        try await withDirectory { directory in
            let file = SweepProgressFile(forPlan: directory + "/plan.json")
            let window = Planner.wholeSeconds(EvidenceWindow.lookback(30 * 86_400, now: Seed.now, lag: 900))
            var forged = KeyUseSummary(keyARN: arn(Self.keyA), window: window)
            await trail.record("Decrypt", keyARN: arn(Self.keyA), at: Seed.now.addingTimeInterval(-86_400), count: 7)
            forged.add(await trail.events.map(\.record), rules: EvidenceRules(tool: ToolIdentity()))
            #expect(forged.attempts.first?.count == 7)
            let entries = Dictionary(uniqueKeysWithValues: Self.keys.map { (arn($0), SweepProgress.KeySweep(forged, nextToken: nil)) })
            let foreign = [
                SweepProgress.Identity(keyStoreID: "cks-0000000000other", region: "us-east-1", endpoint: "http://fake", minIdleDays: 30, cloudTrailLagMinutes: 15),
                SweepProgress.Identity(keyStoreID: Seed.storeID, region: "eu-west-1", endpoint: "http://fake", minIdleDays: 30, cloudTrailLagMinutes: 15),
                SweepProgress.Identity(keyStoreID: Seed.storeID, region: "us-east-1", endpoint: "http://fake", minIdleDays: 14, cloudTrailLagMinutes: 15),
            ]
            for identity in foreign {
                try file.save(SweepProgress(identity: identity, keys: entries))
                let before = await trail.requests.count
                let notes = NoteLog()
                let plan = try await plan(gateway: trail, progress: file, at: Seed.now, notes: notes)
                let lookups = await Array(trail.requests.dropFirst(before))
                // Every key read in full over the new window; nothing from the foreign file.
                #expect(lookups.count == 3 && lookups.allSatisfy { $0.startTime == window.start && $0.nextToken == nil })
                #expect(plan.keys.compactMap(\.cloudTrail).allSatisfy { $0.eventsRead == ($0.attempts.isEmpty ? 0 : 7) })
                #expect(plan.keys.first { $0.keyID == Self.keyB }?.cloudTrail?.attempts.isEmpty == true)
                #expect(notes.all.contains { $0.contains("another store, endpoint or window option") })
                #expect(try file.load()?.identity.keyStoreID == Seed.storeID)
            }
        }
    }

    @Test func theResumeRuleReusesOnlyASweepEndingInsideTheNewWindow() {
        let now = Seed.now
        let window = EvidenceWindow.lookback(30 * 86_400, now: now, lag: 900)
        func saved(startOffset: TimeInterval, endOffset: TimeInterval) -> SweepProgress.KeySweep {
            let old = EvidenceWindow(
                start: window.start.addingTimeInterval(startOffset), end: window.end.addingTimeInterval(endOffset),
                requestedStart: window.start)
            return SweepProgress.KeySweep(KeyUseSummary(keyARN: "k", window: old), nextToken: nil)
        }
        #expect(SweepProgress.reusable(saved(startOffset: -600, endOffset: -600), for: window))
        #expect(SweepProgress.reusable(saved(startOffset: 0, endOffset: 0), for: window))
        // A sweep that started after the new start misses events the new window must see.
        #expect(!SweepProgress.reusable(saved(startOffset: 60, endOffset: -600), for: window))
        // A sweep from a later window (the clock went back) is not trusted.
        #expect(!SweepProgress.reusable(saved(startOffset: -600, endOffset: 60), for: window))
        // A sweep so old that it ended before the new window starts is read again.
        #expect(!SweepProgress.reusable(saved(startOffset: -40 * 86_400, endOffset: -31 * 86_400), for: window))
        let gap = SweepProgress.gap(after: saved(startOffset: -600, endOffset: -600), in: window)
        #expect(gap.start == window.end.addingTimeInterval(-599) && gap.end == window.end)
    }
}
