import Foundation
import KMSAPI
import Testing

@testable import Decommission

struct EvidenceCollectorTests {
    let tracking = Date(timeIntervalSince1970: 1_700_000_000)

    @Test func recordedUseIsUsed() {
        let last = KeyLastUsage(operation: "Decrypt", timestamp: tracking.addingTimeInterval(500), kmsRequestID: "r")
        let usage = EvidenceCollector.usageEvidence(
            from: GetKeyLastUsageResponse(keyLastUsage: last, trackingStartDate: tracking, keyCreationDate: tracking.addingTimeInterval(-9_000)),
            keyCreationDate: nil)
        #expect(usage.verdict == .used)
        #expect(usage.lastUsedAt == tracking.addingTimeInterval(500))
        #expect(usage.operation == "Decrypt" && usage.kmsRequestID == "r")
    }

    @Test func noUseSinceCreationAfterTrackingIsNeverUsed() {
        for created in [tracking, tracking.addingTimeInterval(1)] {
            let usage = EvidenceCollector.usageEvidence(
                from: GetKeyLastUsageResponse(keyLastUsage: KeyLastUsage(), trackingStartDate: tracking, keyCreationDate: created), keyCreationDate: nil)
            #expect(usage.verdict == .neverUsed)
        }
    }

    @Test func noUseForAKeyOlderThanTrackingIsUnknown() {
        let usage = EvidenceCollector.usageEvidence(
            from: GetKeyLastUsageResponse(trackingStartDate: tracking, keyCreationDate: tracking.addingTimeInterval(-1)), keyCreationDate: nil)
        #expect(usage.verdict == .unknownBeforeTracking)
        #expect(usage.trackingStartDate == tracking)
    }

    @Test func missingDatesAreReadConservatively() {
        #expect(EvidenceCollector.usageEvidence(from: GetKeyLastUsageResponse(), keyCreationDate: tracking).verdict == .unknownBeforeTracking)
        // The creation date from DescribeKey stands in when GetKeyLastUsage omits it.
        let usage = EvidenceCollector.usageEvidence(from: GetKeyLastUsageResponse(trackingStartDate: tracking), keyCreationDate: tracking.addingTimeInterval(60))
        #expect(usage.verdict == .neverUsed)
    }
}
