import Foundation

/// Parses the XML that AWS Query and REST-XML services answer with, into an `AWSXMLElement` tree.
///
/// Written here rather than using `XMLParser`, which on Linux lives in FoundationXML and pulls in
/// libxml2: a binary built to run without the toolchain should not need it. It reads elements,
/// attributes, character data, CDATA, comments, processing instructions and the five predefined
/// and numeric entities; it rejects DOCTYPE declarations (no entity expansion, no external
/// references) and anything malformed, with `kms.invalid-response`.
public struct AWSXMLReader: Sendable {
    private let bytes: [UInt8]
    private var index = 0

    private init(_ data: Data) { bytes = Array(data) }

    /// Parses a document and returns its root element.
    /// - Throws: `KMSError` with `kms.invalid-response` when the text is not well-formed XML.
    public static func parse(_ data: Data) throws -> AWSXMLElement {
        var reader = AWSXMLReader(data)
        return try reader.document()
    }

    // MARK: - Grammar

    private mutating func document() throws -> AWSXMLElement {
        skipBOM()
        try skipMisc()
        guard peek() == UInt8(ascii: "<") else { throw failure("the document has no root element") }
        let root = try element()
        try skipMisc()
        guard index == bytes.count else { throw failure("there is text after the root element") }
        return root
    }

    /// Skips white space, comments and processing instructions between top-level items.
    private mutating func skipMisc() throws {
        while true {
            skipWhitespace()
            if starts(with: "<?") {
                try skip(past: "?>")
            } else if starts(with: "<!--") {
                try skip(past: "-->")
            } else if starts(with: "<!") {
                throw failure("DOCTYPE and other declarations are not accepted")
            } else {
                return
            }
        }
    }

    private mutating func element() throws -> AWSXMLElement {
        index += 1  // "<"
        let qualified = name()
        guard !qualified.isEmpty else { throw failure("an element has no name") }
        var result = AWSXMLElement(name: Self.localName(qualified))
        while true {
            skipWhitespace()
            if starts(with: "/>") {
                index += 2
                return result
            }
            if peek() == UInt8(ascii: ">") {
                index += 1
                break
            }
            let attribute = name()
            guard !attribute.isEmpty else { throw failure("element '\(qualified)' has a malformed attribute") }
            skipWhitespace()
            guard peek() == UInt8(ascii: "=") else { throw failure("attribute '\(attribute)' has no value") }
            index += 1
            skipWhitespace()
            result.attributes[attribute] = try quotedValue()
        }
        try content(of: &result, qualified: qualified)
        return result
    }

    private mutating func content(of element: inout AWSXMLElement, qualified: String) throws {
        var text = [UInt8]()
        while index < bytes.count {
            if starts(with: "</") {
                index += 2
                let closing = name()
                skipWhitespace()
                guard closing == qualified, peek() == UInt8(ascii: ">") else {
                    throw failure("element '\(qualified)' is closed by '\(closing)'")
                }
                index += 1
                element.text = String(decoding: text, as: UTF8.self)
                return
            } else if starts(with: "<!--") {
                try skip(past: "-->")
            } else if starts(with: "<![CDATA[") {
                index += 9
                let start = index
                try skip(past: "]]>")
                text += bytes[start..<(index - 3)]
            } else if starts(with: "<?") {
                try skip(past: "?>")
            } else if peek() == UInt8(ascii: "<") {
                element.children.append(try self.element())
            } else if peek() == UInt8(ascii: "&") {
                text += try entity()
            } else {
                text.append(bytes[index])
                index += 1
            }
        }
        throw failure("element '\(qualified)' is not closed")
    }

    private mutating func quotedValue() throws -> String {
        guard let quote = peek(), quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") else {
            throw failure("an attribute value is not quoted")
        }
        index += 1
        var value = [UInt8]()
        while index < bytes.count, bytes[index] != quote {
            if bytes[index] == UInt8(ascii: "&") {
                value += try entity()
            } else {
                value.append(bytes[index])
                index += 1
            }
        }
        guard index < bytes.count else { throw failure("an attribute value is not closed") }
        index += 1
        return String(decoding: value, as: UTF8.self)
    }

    /// Decodes `&name;` or `&#N;` / `&#xN;` at the cursor into UTF-8 bytes.
    private mutating func entity() throws -> [UInt8] {
        let start = index + 1
        guard let end = bytes[start...].prefix(12).firstIndex(of: UInt8(ascii: ";")) else {
            throw failure("an '&' does not start an entity")
        }
        let body = String(decoding: bytes[start..<end], as: UTF8.self)
        index = end + 1
        switch body {
        case "lt": return Array("<".utf8)
        case "gt": return Array(">".utf8)
        case "amp": return Array("&".utf8)
        case "quot": return Array("\"".utf8)
        case "apos": return Array("'".utf8)
        default:
            let scalarValue: UInt32? =
                if body.hasPrefix("#x") || body.hasPrefix("#X") { UInt32(body.dropFirst(2), radix: 16) }
                else if body.hasPrefix("#") { UInt32(body.dropFirst(), radix: 10) }
                else { nil }
            guard let scalarValue, let scalar = Unicode.Scalar(scalarValue) else {
                throw failure("entity '&\(body);' is not known")
            }
            return Array(String(Character(scalar)).utf8)
        }
    }

    // MARK: - Scanning

    private func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }

    private func starts(with literal: String) -> Bool {
        let utf8 = Array(literal.utf8)
        return bytes.count - index >= utf8.count && bytes[index..<(index + utf8.count)].elementsEqual(utf8)
    }

    private mutating func skip(past literal: String) throws {
        let utf8 = Array(literal.utf8)
        while index < bytes.count {
            if starts(with: literal) {
                index += utf8.count
                return
            }
            index += 1
        }
        throw failure("'\(literal)' is missing")
    }

    private mutating func skipWhitespace() {
        while let byte = peek(), byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { index += 1 }
    }

    private mutating func skipBOM() {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
    }

    /// Reads an XML name (letters, digits and `_ : . -`, and any non-ASCII byte).
    private mutating func name() -> String {
        let start = index
        while let byte = peek(),
            byte >= 0x80 || (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A)
                || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ":") || byte == UInt8(ascii: ".")
                || byte == UInt8(ascii: "-")
        {
            index += 1
        }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    private static func localName(_ qualified: String) -> String {
        guard let colon = qualified.lastIndex(of: ":") else { return qualified }
        return String(qualified[qualified.index(after: colon)...])
    }

    private func failure(_ reason: String) -> KMSError {
        KMSError(code: .invalidResponse, message: "The answer is not well-formed XML: \(reason) (at byte \(index)).")
    }
}
