import Foundation

extension SigV4 {
    /// Formats a time as `yyyyMMdd'T'HHmmss'Z'` in UTC, dropping fractions of a second.
    public static func amzDate(_ date: Date) -> String {
        let parts = CivilTime(date)
        var text = pad(parts.year, 4) + pad(parts.month, 2) + pad(parts.day, 2)
        text += "T" + pad(parts.hour, 2) + pad(parts.minute, 2) + pad(parts.second, 2) + "Z"
        return text
    }

    /// Formats the date part of a time as `yyyyMMdd` in UTC, as used in the credential scope.
    public static func dateStamp(_ date: Date) -> String {
        String(amzDate(date).prefix(8))
    }

    /// Parses a `yyyyMMdd'T'HHmmss'Z'` time; nil if the text is not exactly that form or names no real time.
    public static func date(fromAMZDate text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count == 16, bytes[8] == UInt8(ascii: "T"), bytes[15] == UInt8(ascii: "Z") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for byte in bytes[range] {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0..<4), let month = number(4..<6), let day = number(6..<8),
            let hour = number(9..<11), let minute = number(11..<13), let second = number(13..<15),
            (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 60
        else { return nil }
        let days = CivilTime.days(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3_600 + minute * 60 + second
        let date = Date(timeIntervalSince1970: TimeInterval(seconds))
        // Reject dates such as February 30 that the arithmetic would roll over.
        guard amzDate(date) == text else { return nil }
        return date
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}

/// A UTC calendar time computed with integer arithmetic (Howard Hinnant's civil-date algorithms),
/// which is far cheaper than a `DateFormatter` on every signed request.
private struct CivilTime {
    var year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int

    init(_ date: Date) {
        // Clamp to years 1970...9999 so odd inputs cannot trap the conversion to Int.
        let interval = date.timeIntervalSince1970
        let total = interval.isFinite ? Int(min(max(interval, 0), 253_402_300_799).rounded(.down)) : 0
        let days = total / 86_400
        let secondOfDay = total - days * 86_400
        hour = secondOfDay / 3_600
        minute = secondOfDay % 3_600 / 60
        second = secondOfDay % 60

        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    }

    /// Days since 1970-01-01 for a proleptic Gregorian date.
    static func days(year: Int, month: Int, day: Int) -> Int {
        let adjustedYear = month <= 2 ? year - 1 : year
        let era = (adjustedYear >= 0 ? adjustedYear : adjustedYear - 399) / 400
        let yearOfEra = adjustedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
