/// Renders rows as aligned columns for terminals and logs.
enum TextTable {
    /// Returns the table with a bold header (when colour is on) and two spaces between columns.
    static func render(header: [String], rows: [[String]], output: Output) -> String {
        var widths = header.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], cell.count)
            }
        }
        func format(_ row: [String]) -> String {
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell + String(repeating: " ", count: max(0, widths[index] - cell.count))
            }.joined(separator: "  ")
        }
        let lines = [output.styled(format(header), .bold)] + rows.map(format)
        return lines.joined(separator: "\n")
    }
}
