import Foundation

extension SigV4 {
    /// Returns the canonical URI: the wire path normalised and then percent-encoded (so `%` becomes `%25`).
    public static func canonicalURI(_ path: String) -> String {
        uriEncode(Array(normalizedPath(path).utf8), keepingSlash: true)
    }

    /// Removes `.` and `..` segments and empty segments (repeated slashes) from a path, keeping a trailing slash.
    public static func normalizedPath(_ path: String) -> String {
        guard !path.isEmpty else { return "/" }
        var segments: [Substring] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch segment {
            case ".": continue
            case "..": _ = segments.popLast()
            default: segments.append(segment)
            }
        }
        let leading = path.hasPrefix("/") ? "/" : ""
        let trailing = path.hasSuffix("/") && !segments.isEmpty ? "/" : ""
        let normalized = leading + segments.joined(separator: "/") + trailing
        return normalized.isEmpty ? "/" : normalized
    }

    /// Returns the canonical query string: parameters decoded, re-encoded, and sorted by name then value.
    ///
    /// A `+` is taken literally (RFC 3986), not as a space.
    public static func canonicalQuery(_ query: String?) -> String {
        guard let query, !query.isEmpty else { return "" }
        var pairs: [(name: String, value: String)] = []
        for component in query.split(separator: "&", omittingEmptySubsequences: true) {
            let name: Substring, value: Substring
            if let equals = component.firstIndex(of: "=") {
                name = component[..<equals]
                value = component[component.index(after: equals)...]
            } else {
                name = component
                value = ""
            }
            pairs.append((uriEncode(percentDecoded(name), keepingSlash: false), uriEncode(percentDecoded(value), keepingSlash: false)))
        }
        pairs.sort { $0.name != $1.name ? $0.name < $1.name : $0.value < $1.value }
        return pairs.map { "\($0.name)=\($0.value)" }.joined(separator: "&")
    }

    /// Percent-encodes every byte except the unreserved characters `A-Z a-z 0-9 - . _ ~` (and `/` if asked).
    public static func uriEncode(_ bytes: some Sequence<UInt8>, keepingSlash: Bool) -> String {
        var output = [UInt8]()
        output.reserveCapacity(bytes.underestimatedCount * 3)
        let upperDigits = Array("0123456789ABCDEF".utf8)
        for byte in bytes {
            if isUnreserved(byte) || (keepingSlash && byte == UInt8(ascii: "/")) {
                output.append(byte)
            } else {
                output.append(UInt8(ascii: "%"))
                output.append(upperDigits[Int(byte >> 4)])
                output.append(upperDigits[Int(byte & 0x0f)])
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
            true
        default:
            false
        }
    }

    /// Decodes `%XY` escapes; a `%` not followed by two hex digits is kept as it is.
    private static func percentDecoded(_ text: Substring) -> [UInt8] {
        let input = Array(text.utf8)
        var output = [UInt8]()
        output.reserveCapacity(input.count)
        var index = 0
        while index < input.count {
            if input[index] == UInt8(ascii: "%"), index + 2 < input.count,
                let high = HexDigits.value(of: input[index + 1]), let low = HexDigits.value(of: input[index + 2])
            {
                output.append(high << 4 | low)
                index += 3
            } else {
                output.append(input[index])
                index += 1
            }
        }
        return output
    }
}
