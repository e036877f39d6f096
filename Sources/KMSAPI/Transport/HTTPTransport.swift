import Foundation

/// Header fields in order, with case-insensitive lookup.
public struct HTTPHeaders: Sendable, Equatable, Sequence {
    public private(set) var fields: [(name: String, value: String)]

    public init(_ fields: [(String, String)] = []) {
        self.fields = fields.map { (name: $0.0, value: $0.1) }
    }

    /// Returns the first value of a header, matching the name without regard to case.
    public subscript(name: String) -> String? {
        let lowered = name.lowercased()
        return fields.first { $0.name.lowercased() == lowered }?.value
    }

    /// Sets a header, replacing every field of the same name.
    public mutating func replace(_ name: String, with value: String) {
        remove(name)
        fields.append((name: name, value: value))
    }

    /// Appends a header field, keeping any of the same name.
    public mutating func add(_ name: String, _ value: String) {
        fields.append((name: name, value: value))
    }

    /// Removes every field of a name.
    public mutating func remove(_ name: String) {
        let lowered = name.lowercased()
        fields.removeAll { $0.name.lowercased() == lowered }
    }

    public func makeIterator() -> IndexingIterator<[(name: String, value: String)]> {
        fields.makeIterator()
    }

    public static func == (lhs: HTTPHeaders, rhs: HTTPHeaders) -> Bool {
        lhs.fields.elementsEqual(rhs.fields) { $0.name == $1.name && $0.value == $1.value }
    }
}

/// An HTTP request as this project builds and signs it.
public struct HTTPRequest: Sendable, Equatable {
    public var method: String
    public var url: URL
    public var headers: HTTPHeaders
    public var body: Data

    public init(method: String, url: URL, headers: HTTPHeaders = HTTPHeaders(), body: Data = Data()) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }

    /// Whether a body is sent: always for POST and PUT (an empty one with `Content-Length: 0`),
    /// otherwise only when there is one.
    public var sendsBody: Bool { !body.isEmpty || method == "POST" || method == "PUT" }
}

/// An HTTP response: status, headers and the whole body.
public struct HTTPResponse: Sendable, Equatable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: Data

    public init(status: Int, headers: HTTPHeaders = HTTPHeaders(), body: Data = Data()) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// Sends HTTP requests; the one seam between the KMS client and the network.
///
/// A failure to reach the server throws a `KMSError` with a transport code
/// (`kms.connection-refused`, `kms.timeout`, ...); an HTTP error status is a normal response.
public protocol HTTPTransport: Sendable {
    /// Sends a request and returns the complete response.
    func send(_ request: HTTPRequest) async throws -> HTTPResponse
}
