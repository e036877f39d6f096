import Foundation

/// Opaque paging markers: base64 of `<kind>:<position>`, so clients cannot mistake them for ids
/// and a marker from another listing is rejected with InvalidMarkerException.
enum PageMarker {
    static func make(kind: String, position: Int) -> String {
        Data("\(kind):\(position)".utf8).base64EncodedString()
    }

    /// Reads a marker's position; nil marker means the first page.
    static func position(of marker: String?, kind: String) throws(ServiceError) -> Int? {
        guard let marker else { return nil }
        guard let data = Data(base64Encoded: marker), let text = String(data: data, encoding: .utf8),
            text.hasPrefix(kind + ":"), let value = Int(text.dropFirst(kind.count + 1)), value >= 0
        else { throw .invalidMarker() }
        return value
    }

    /// Checks a Limit against its documented range and applies the default.
    static func limit(_ value: Int?, range: ClosedRange<Int>, default defaultValue: Int) throws(ServiceError) -> Int {
        guard let value else { return defaultValue }
        if value < range.lowerBound { throw .tooSmall("limit", value: value, minimum: range.lowerBound) }
        if value > range.upperBound { throw .tooLarge("limit", value: value, maximum: range.upperBound) }
        return value
    }

    /// Cuts one page out of an index-addressed list.
    static func page<T>(_ items: [T], kind: String, marker: String?, limit: Int) throws(ServiceError)
        -> (items: [T], nextMarker: String?)
    {
        let start = try position(of: marker, kind: kind) ?? 0
        guard start <= items.count else { throw .invalidMarker() }
        let end = min(items.count, start + limit)
        return (Array(items[start..<end]), end < items.count ? make(kind: kind, position: end) : nil)
    }
}
