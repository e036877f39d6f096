import Foundation

/// Reads HTTP dates (RFC 9110 IMF-fixdate, `Tue, 01 Dec 2026 20:00:00 GMT`), as S3 sends `Last-Modified`.
enum HTTPDate {
    /// The date, or nil when the text is not an IMF-fixdate.
    @Sendable static func parse(_ text: String) -> Date? {
        // A formatter per call: DateFormatter is not Sendable, and this runs once per answer.
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(secondsFromGMT: 0)
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.date(from: text.trimmingCharacters(in: .whitespaces))
    }
}
