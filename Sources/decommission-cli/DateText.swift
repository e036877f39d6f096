import Foundation

/// Formats dates for people: ISO-8601 UTC to the second.
enum DateText {
    static func format(_ date: Date?) -> String {
        guard let date else { return "-" }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}
