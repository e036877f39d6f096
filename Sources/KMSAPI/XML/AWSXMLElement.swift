/// One element of an XML answer (STS, S3): its name, attributes, text and child elements.
///
/// AWS's Query and REST-XML answers use elements and text only, so this small tree is all the
/// clients need; it is built by `AWSXMLReader`.
public struct AWSXMLElement: Sendable, Equatable {
    /// The element name without any namespace prefix (`AssumeRoleResult`).
    public var name: String
    /// The attributes, by name as written.
    public var attributes: [String: String]
    /// The element's own character data, entities decoded, concatenated in order.
    public var text: String
    /// The child elements in document order.
    public var children: [AWSXMLElement]

    public init(name: String, attributes: [String: String] = [:], text: String = "", children: [AWSXMLElement] = []) {
        self.name = name
        self.attributes = attributes
        self.text = text
        self.children = children
    }

    /// The first child with this name, nil if there is none.
    public func child(_ name: String) -> AWSXMLElement? {
        children.first { $0.name == name }
    }

    /// Every child with this name, in document order.
    public func children(named name: String) -> [AWSXMLElement] {
        children.filter { $0.name == name }
    }

    /// Follows a path of child names from this element (`["AssumeRoleResult", "Credentials"]`).
    public func descendant(_ path: [String]) -> AWSXMLElement? {
        var current = self
        for name in path {
            guard let next = current.child(name) else { return nil }
            current = next
        }
        return current
    }

    /// The trimmed text of the first child with this name, nil if absent.
    public func childText(_ name: String) -> String? {
        child(name)?.text.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
