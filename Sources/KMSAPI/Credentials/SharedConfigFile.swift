import Foundation

/// One parsed AWS shared INI file (`~/.aws/config` or `~/.aws/credentials`), read as the AWS CLI reads it.
///
/// Keys are lowercased (as Python's `configparser` does); section names keep their case. Lines
/// indented under a key with an empty value (`s3 =` then `  max_concurrent_requests = 10`) become
/// dotted keys (`s3.max_concurrent_requests`), which is how `[services x]` sections are read.
public struct SharedConfigFile: Sendable, Equatable {
    /// Which of the two files this is; it decides how section names map to profiles.
    public enum Kind: String, Sendable {
        /// `~/.aws/config`: `[default]` and `[profile name]`.
        case config
        /// `~/.aws/credentials`: `[default]` and `[name]`.
        case credentials
    }

    /// The file's kind.
    public let kind: Kind
    /// Every section by its name as written between the brackets (trimmed), with lowercased keys.
    public private(set) var sections: [String: [String: String]]

    /// Creates a file from already-parsed sections (tests, in-memory configuration).
    public init(kind: Kind, sections: [String: [String: String]] = [:]) {
        self.kind = kind
        self.sections = sections
    }

    /// Parses the text of a shared file.
    /// - Parameters:
    ///   - text: the file's contents.
    ///   - kind: whether it is the config or the credentials file.
    ///   - path: the file's path, only for error messages.
    /// - Throws: `KMSError` with `config.invalid` naming the path and line (never the line's text,
    ///   which may hold a secret).
    public init(parsing text: String, kind: Kind, path: String) throws {
        self.kind = kind
        self.sections = [:]
        var section: String?
        // The last top-level key and its indent; deeper-indented lines belong to it, as in configparser.
        var lastKey: (name: String, indent: Int, isEmpty: Bool)?
        for (index, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = String(rawLine)
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") || trimmed.hasPrefix(";") { continue }
            let indent = line.prefix { $0 == " " || $0 == "\t" }.count
            if let current = section, let parent = lastKey, indent > parent.indent {
                // A nested sub-section line (`s3 =` then indented keys); other continuations are ignored.
                if parent.isEmpty, let (key, value) = Self.splitKeyValue(trimmed) {
                    sections[current, default: [:]]["\(parent.name).\(key)"] = value
                }
                continue
            }
            if trimmed.hasPrefix("[") {
                guard trimmed.hasSuffix("]"), trimmed.count >= 2 else {
                    throw Self.lineError(index + 1, path: path, what: "has an unclosed section header")
                }
                let name = String(trimmed.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces)
                section = name
                lastKey = nil
                if sections[name] == nil { sections[name] = [:] }
                continue
            }
            guard let current = section else {
                throw Self.lineError(index + 1, path: path, what: "comes before any [section] header")
            }
            guard let (key, value) = Self.splitKeyValue(trimmed) else {
                throw Self.lineError(index + 1, path: path, what: "is not a [section], a key = value pair or a comment")
            }
            sections[current, default: [:]][key] = value
            lastKey = (key, indent, value.isEmpty)
        }
    }

    /// Returns the settings of a profile, or nil when this file has no such profile.
    public func profile(named name: String) -> [String: String]? {
        switch kind {
        case .credentials:
            return sections[name]
        case .config:
            // `[profile default]` is also accepted for the default profile and wins over `[default]`.
            let prefixed = prefixedSection("profile", name: name)
            if name == "default" {
                if let plain = sections["default"] { return plain.merging(prefixed ?? [:]) { _, new in new } }
            }
            return prefixed
        }
    }

    /// Returns the settings of a `[services name]` section (config file only).
    public func servicesSection(named name: String) -> [String: String]? {
        kind == .config ? prefixedSection("services", name: name) : nil
    }

    /// Returns the settings of an `[sso-session name]` section (config file only).
    public func ssoSessionSection(named name: String) -> [String: String]? {
        kind == .config ? prefixedSection("sso-session", name: name) : nil
    }

    /// Finds `[prefix name]` allowing any run of spaces or tabs between the two words.
    private func prefixedSection(_ prefix: String, name: String) -> [String: String]? {
        var merged: [String: String]?
        for (header, values) in sections {
            let parts = header.split(maxSplits: 1, whereSeparator: { $0 == " " || $0 == "\t" })
            guard parts.count == 2, parts[0] == prefix,
                parts[1].trimmingCharacters(in: .whitespaces) == name
            else { continue }
            merged = (merged ?? [:]).merging(values) { _, new in new }
        }
        return merged
    }

    /// Splits `key = value` (or `key: value`, as configparser allows) and drops an inline comment.
    static func splitKeyValue(_ line: String) -> (String, String)? {
        guard let separator = line.firstIndex(where: { $0 == "=" || $0 == ":" }) else { return nil }
        let key = line[..<separator].trimmingCharacters(in: .whitespaces).lowercased()
        guard !key.isEmpty else { return nil }
        let value = stripInlineComment(String(line[line.index(after: separator)...]))
        return (key, value.trimmingCharacters(in: .whitespaces))
    }

    /// Removes a ` #` or ` ;` comment; a `#` right after other text (a URL fragment) stays.
    static func stripInlineComment(_ value: String) -> String {
        var previous: Character = " "
        for index in value.indices {
            let character = value[index]
            if (character == "#" || character == ";") && (previous == " " || previous == "\t") {
                return String(value[..<index])
            }
            previous = character
        }
        return value
    }

    private static func lineError(_ line: Int, path: String, what: String) -> KMSError {
        KMSError(code: .invalidConfiguration, message: "Line \(line) of '\(path)' \(what); fix or remove that line.")
    }
}
