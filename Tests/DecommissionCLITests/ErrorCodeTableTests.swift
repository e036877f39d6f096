import Decommission
import Foundation
import KMSAPI
import KMSLocal
import Testing

@testable import decommission_cli

/// README.md's "Error codes" section against the codes that exist: every code of every module's
/// closed enum is listed once, no listed code is unknown, and each row's exit status is the one
/// `Output.classify` gives.
struct ErrorCodeTableTests {
    /// One table row: the codes in its first column and the exit statuses in its `exit` column (if any).
    struct Row {
        var codes: [String]
        var exitStatuses: Set<Int32>?
        var text: String
    }

    /// The package root: three levels above this file (`Tests/DecommissionCLITests/<file>`).
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// Every error code that exists, with the exit status `decommission` gives it.
    static func existingCodes() -> [String: ExitCode] {
        var codes: [String: ExitCode] = [:]
        func add(_ code: String, _ error: any Error) { codes[code] = Output.classify(error).exitCode }
        for code in CLIError.Code.allCases { add(code.rawValue, CLIError(code: code, message: "m.")) }
        for code in DecommissionError.Code.allCases { add(code.rawValue, DecommissionError(code: code, message: "m.")) }
        for code in KMSError.Code.allCases { add(code.rawValue, KMSError(code: code, message: "m.")) }
        for code in KMSLocalError.Code.allCases { add(code.rawValue, KMSLocalError(code: code, message: "m.")) }
        return codes
    }

    /// The rows of every table between `## Error codes` and the next `## ` heading.
    static func rows(ofErrorSectionIn markdown: String) -> [Row] {
        var rows: [Row] = []
        var inSection = false
        var exitColumn: Int?
        var expectsHeader = true
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix("## ") {
                inSection = line == "## Error codes"
                continue
            }
            guard inSection else { continue }
            guard line.hasPrefix("|") else {
                expectsHeader = true
                continue
            }
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).dropFirst().dropLast()
                .map { $0.trimmingCharacters(in: .whitespaces) }
            if expectsHeader {
                exitColumn = cells.firstIndex(of: "exit")
                expectsHeader = false
                continue
            }
            if cells.allSatisfy({ $0.allSatisfy { $0 == "-" || $0 == ":" } }) { continue }
            let codes = cells.first.map { $0.split(separator: "`", omittingEmptySubsequences: false).enumerated()
                .filter { $0.offset % 2 == 1 }.map { String($0.element) } } ?? []
            let statuses = exitColumn.flatMap { $0 < cells.count ? cells[$0] : nil }.map { cell in
                Set(cell.split(whereSeparator: { !$0.isNumber }).compactMap { Int32($0) })
            }
            rows.append(Row(codes: codes, exitStatuses: statuses, text: line))
        }
        return rows
    }

    static func readmeRows() throws -> [Row] {
        rows(ofErrorSectionIn: try String(contentsOf: packageRoot.appendingPathComponent("README.md"), encoding: .utf8))
    }

    @Test func listsExactlyTheCodesThatExist() throws {
        let listed = try Self.readmeRows().flatMap(\.codes)
        let existing = Set(Self.existingCodes().keys)
        #expect(!listed.isEmpty, "README.md has an '## Error codes' section with tables")
        #expect(existing.subtracting(listed).sorted() == [], "codes missing from README.md's error table")
        #expect(Set(listed).subtracting(existing).sorted() == [], "README.md lists codes that do not exist")
        let repeated = Dictionary(grouping: listed, by: { $0 }).filter { $0.value.count > 1 }.keys.sorted()
        #expect(repeated == [], "codes listed more than once")
    }

    @Test func eachRowStatesTheExitStatusItsCodesGet() throws {
        let existing = Self.existingCodes()
        for row in try Self.readmeRows() {
            guard let statuses = row.exitStatuses else { continue }
            for code in row.codes {
                guard let status = existing[code] else { continue }
                #expect(statuses.contains(status.rawValue), "\(code) exits \(status.rawValue), the README row says otherwise: \(row.text)")
            }
        }
    }

    @Test func readsCodesAndExitStatusesFromATable() {
        let markdown = """
            ## Error codes

            | code | exit | meaning |
            | --- | --- | --- |
            | `a.one`, `a.two` | 130/143 | x `not-a-code` |

            | code | meaning |
            | --- | --- |
            | `b.three` | y |

            ## Next
            | code | exit |
            | --- | --- |
            | `c.four` | 1 |
            """
        let rows = Self.rows(ofErrorSectionIn: markdown)
        #expect(rows.map(\.codes) == [["a.one", "a.two"], ["b.three"]])
        #expect(rows.map(\.exitStatuses) == [[130, 143], nil])
    }
}
