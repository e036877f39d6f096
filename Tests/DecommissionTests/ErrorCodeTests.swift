import Foundation
import Testing

@testable import Decommission

struct ErrorCodeTests {
    @Test func everyCodeIsAreaDotKebabReasonAndUnique() {
        let raw = DecommissionError.Code.allCases.map(\.rawValue)
        #expect(Set(raw).count == raw.count)
        for code in raw {
            #expect(code.wholeMatch(of: /(plan|checkpoint|apply|audit|io)\.[a-z]+(-[a-z]+)*/) != nil, "\(code)")
        }
        // The codes steps record are cases of the set, not strings made up where they are raised.
        for code in ["apply.store-connect-failed", "apply.store-still-exists", "apply.unexpected", "checkpoint.changed-elsewhere"] {
            #expect(DecommissionError.Code(rawValue: code) != nil, "\(code)")
        }
    }

    @Test func driftIsRecordedAsDriftNotReadBackFromTheCode() throws {
        let item = DriftItem(kind: .newKey, keyID: "k1", expected: "no key outside the plan", found: "key in state Enabled")
        let recorded = StepError(drift: [item])
        let decoded = try JSONCoding.makeDecoder().decode(StepError.self, from: try JSONCoding.makeEncoder().encode(recorded))
        #expect(decoded.drift == [item])
        #expect(decoded.isDrift)
        // A failure whose code merely reads like drift is not drift.
        #expect(!StepError(.stepFailed, message: "x").isDrift)
    }

    @Test func driftRecordedByV01IsStillDriftAndRewrittenUnchanged() throws {
        let legacy = Data(#"{"code":"apply.drift","message":"Drift: new-key key k1: expected a, found b."}"#.utf8)
        let decoded = try JSONCoding.makeDecoder().decode(StepError.self, from: legacy)
        #expect(decoded.isDrift)
        #expect(try JSONCoding.makeCompactEncoder().encode(decoded) == legacy)
    }
}
