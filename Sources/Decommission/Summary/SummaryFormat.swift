import Foundation

/// Text formatting shared by the plan summaries: UTC dates, durations and aligned tables.
enum SummaryFormat {
    /// `2025-03-01`, in UTC.
    static func date(_ date: Date) -> String { String(dateTime(date).prefix(10)) }

    /// `2025-03-01 14:05 UTC`.
    static func dateTime(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm 'UTC'"
        return formatter.string(from: date)
    }

    /// `in 30.0 days`, `in 5.2 hours`, or `2.0 days ago`.
    static func relative(_ date: Date, from now: Date) -> String {
        let seconds = date.timeIntervalSince(now)
        let magnitude = abs(seconds)
        let text = magnitude >= 86_400
            ? String(format: "%.1f days", magnitude / 86_400)
            : String(format: "%.1f hours", magnitude / 3_600)
        return seconds >= 0 ? "in \(text)" : "\(text) ago"
    }

    /// Pads `text` with spaces to `width` characters.
    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    /// Lays out a table with columns two spaces apart; trailing spaces are trimmed.
    static func table(header: [String], rows: [[String]], rightAligned: Set<Int> = []) -> [String] {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0.indices.contains(column) ? $0[column].count : 0 }.max() ?? 0 }
        return all.map { row in
            let cells = row.enumerated().map { index, cell in
                let padding = String(repeating: " ", count: max(0, widths[index] - cell.count))
                return rightAligned.contains(index) ? padding + cell : cell + padding
            }
            var line = cells.joined(separator: "  ")
            while line.hasSuffix(" ") { line.removeLast() }
            return line
        }
    }
}
