import Foundation
import KMSAPI

/// Finds the keys of one custom key store: `ListKeys` (no filter exists) and `DescribeKey` for
/// every key, concurrently, keeping those whose `CustomKeyStoreId` matches (read-only).
///
/// Describes start while later ListKeys pages are still coming, with a bounded number in flight;
/// every call is paced by the client's per-operation rate limiter, so a large account stays under
/// its quotas. For each store key, `followUp` (the evidence reads) starts as soon as the key is
/// found, alongside the continuing scan, in the same task group.
public struct KeyScanner: Sendable {
    /// One key of the store, with what `followUp` gathered about it.
    public struct Found<Evidence: Sendable>: Sendable {
        public var metadata: KeyMetadata
        public var evidence: Evidence
    }

    /// The page size of ListKeys (its maximum).
    public static let listLimit = 1000

    private let kms: any KMSGateway
    private let namesPlanningPermissions: Bool
    private let maxDescribesInFlight: Int
    private let maxFollowUpsInFlight: Int
    private let now: @Sendable () -> Date
    private let events: @Sendable (DiscoveryEvent) -> Void

    /// Creates a scanner.
    /// - Parameters:
    ///   - maxDescribesInFlight: DescribeKey calls in flight at once (default 64).
    ///   - maxFollowUpsInFlight: store keys whose follow-up runs at once (default 16; GetKeyLastUsage
    ///     at 5 requests/s is the long pole, so more would only queue in the rate limiter).
    ///   - namesPlanningPermissions: an AccessDenied says which permission planning needs (off for
    ///     apply's rescans, which report KMS's own message).
    public init(
        kms: any KMSGateway, maxDescribesInFlight: Int = 64, maxFollowUpsInFlight: Int = 16,
        now: @escaping @Sendable () -> Date, events: @escaping @Sendable (DiscoveryEvent) -> Void = { _ in },
        namesPlanningPermissions: Bool = true
    ) {
        self.kms = kms
        self.namesPlanningPermissions = namesPlanningPermissions
        self.maxDescribesInFlight = max(1, maxDescribesInFlight)
        self.maxFollowUpsInFlight = max(1, maxFollowUpsInFlight)
        self.now = now
        self.events = events
    }

    private enum Work<Evidence: Sendable>: Sendable {
        case page(ListKeysResponse)
        case described(KeyMetadata?)
        case followedUp(KeyMetadata, Evidence?)
    }

    /// Returns the store's keys, sorted by key id. A key that vanishes mid-scan
    /// (`NotFoundException`) is skipped.
    /// - Throws: `KMSError` (AccessDenied names the permission), or `CancellationError`.
    public func scan<Evidence: Sendable>(
        storeID: String, followUp: @escaping @Sendable (KeyMetadata) async throws -> Evidence
    ) async throws -> [Found<Evidence>] {
        let kms = self.kms
        let naming = namesPlanningPermissions
        let started = now()
        var progress = ProgressTracker(storeID: storeID, started: started)
        return try await withThrowingTaskGroup(of: Work<Evidence>.self) { group in
            var pendingDescribes = ScanQueue<String>()
            var pendingFollowUps = ScanQueue<KeyMetadata>()
            var describesInFlight = 0
            var followUpsInFlight = 0
            var found: [Found<Evidence>] = []

            func fetchPage(_ marker: String?) {
                group.addTask {
                    let request = ListKeysRequest(limit: Self.listLimit, marker: marker)
                    let page = try await PlannerErrors.call(ListKeys.name, naming: naming) { try await kms.listKeys(request) }
                    return .page(page)
                }
            }
            func launch() {
                while describesInFlight < maxDescribesInFlight, let keyID = pendingDescribes.pop() {
                    describesInFlight += 1
                    group.addTask { .described(try await Self.describe(keyID, kms: kms, naming: naming)) }
                }
                while followUpsInFlight < maxFollowUpsInFlight, let metadata = pendingFollowUps.pop() {
                    followUpsInFlight += 1
                    group.addTask {
                        do {
                            return .followedUp(metadata, try await followUp(metadata))
                        } catch let error as KMSError where error.code == .keyNotFound {
                            // The key was deleted while we read its evidence: it is no longer the store's.
                            return .followedUp(metadata, nil)
                        }
                    }
                }
            }

            fetchPage(nil)
            while let work = try await group.next() {
                switch work {
                case .page(let page):
                    let ids = (page.keys ?? []).compactMap(\.keyID)
                    progress.listed += ids.count
                    pendingDescribes.push(contentsOf: ids)
                    if page.truncated == true, let marker = page.nextMarker {
                        fetchPage(marker)
                    } else {
                        progress.total = progress.listed
                    }
                case .described(let metadata):
                    describesInFlight -= 1
                    progress.scanned += 1
                    if let metadata, metadata.customKeyStoreID == storeID {
                        progress.storeKeys += 1
                        pendingFollowUps.push(contentsOf: [metadata])
                    }
                case .followedUp(let metadata, let evidence):
                    followUpsInFlight -= 1
                    progress.evidenceCollected += 1
                    if let evidence {
                        found.append(Found(metadata: metadata, evidence: evidence))
                    } else {
                        progress.storeKeys -= 1
                        progress.evidenceCollected -= 1
                    }
                }
                launch()
                if let event = progress.event(at: now(), scanDone: progress.total != nil && describesInFlight == 0 && pendingDescribes.isEmpty) {
                    events(event)
                }
            }
            return found.sorted { $0.metadata.keyID < $1.metadata.keyID }
        }
    }

    /// Describes one key; nil when it vanished between ListKeys and DescribeKey.
    static func describe(_ keyID: String, kms: any KMSGateway, naming: Bool) async throws -> KeyMetadata? {
        try await PlannerErrors.call(DescribeKey.name, naming: naming) { try await kms.describeKeyIfPresent(keyID) }
    }
}

/// A first-in, first-out queue with O(1) amortised push and pop.
struct ScanQueue<Element> {
    private var items: [Element] = []
    private var head = 0

    var isEmpty: Bool { head == items.count }

    mutating func push(contentsOf elements: [Element]) { items.append(contentsOf: elements) }

    mutating func pop() -> Element? {
        guard head < items.count else { return nil }
        let element = items[head]
        head += 1
        // Drop the consumed prefix once it dominates, so memory stays proportional to what waits.
        if head > 1024, head * 2 > items.count {
            items.removeFirst(head)
            head = 0
        }
        return element
    }
}
