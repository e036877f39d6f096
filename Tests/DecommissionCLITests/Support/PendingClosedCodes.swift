import Decommission
import Foundation
import KMSAPI
import Testing

// TEMPORARY, for ErrorCodeTableTests: DecommissionError.Code is still a struct with
// static members on this branch, so nothing can enumerate them. Until each becomes a closed
// `enum Code: String, CaseIterable` (KMSError: the lead's KMSAPI change; DecommissionError: issue 10),
// its cases are listed here, and PendingClosedCodesTests checks the list against the source file.
// Delete an extension and its test when the enum lands: the redundant conformance, and the source
// check (which then finds no `Code(rawValue:` lines), both say so.

extension DecommissionError.Code: CaseIterable {
    public static let allCases: [DecommissionError.Code] = [
        .storeNotFound, .ambiguousStoreName, .invalidOption, .invalidWaiver, .unwritableOutput, .planExists, .blocked,
        .invalidGraph, .unreadablePlan, .invalidPlan, .unsupportedSchemaVersion, .tampered, .invalidJournal,
        .approvalRequired, .approvalMismatch, .resumeRequired, .lockHeld, .cancelled, .planBlocked, .drift, .stepFailed,
        .auditChainBroken, .fileSystem,
    ]
}

/// The temporary lists above hold exactly the codes their source files declare.
struct PendingClosedCodesTests {
    /// The raw values of every `Code(rawValue: "…")` in a source file of this package.
    static func declaredCodes(in path: String) throws -> Set<String> {
        let text = try String(contentsOf: ErrorCodeTableTests.packageRoot.appendingPathComponent(path), encoding: .utf8)
        let marker = #"Code(rawValue: ""#
        return Set(text.components(separatedBy: marker).dropFirst().compactMap { $0.split(separator: "\"").first.map(String.init) })
    }

    @Test func decommissionErrorListMatchesItsSource() throws {
        let declared = try Self.declaredCodes(in: "Sources/Decommission/DecommissionError.swift")
        #expect(Set(DecommissionError.Code.allCases.map(\.rawValue)) == declared)
    }
}
