import Foundation
import KMSAPI

/// Parses HTTP/1.1 requests out of a connection's byte buffer (Content-Length bodies only).
enum HTTPRequestParser {
    /// The largest accepted body (1 MiB); larger ones get 413.
    static let maximumBodyBytes = 1 << 20
    /// The largest accepted header section.
    static let maximumHeaderBytes = 64 << 10

    /// What the buffer holds so far.
    enum Result: Equatable {
        case needMoreData
        /// A complete request, whether the connection stays open, and the bytes it used.
        case request(HTTPRequest, keepAlive: Bool, consumed: Int)
        /// A request that must be answered with this status and then the connection closed.
        case reject(status: Int, reason: String)
    }

    static func parse(_ buffer: [UInt8]) -> Result {
        guard let headerEnd = findHeaderEnd(buffer) else {
            return buffer.count > maximumHeaderBytes ? .reject(status: 431, reason: "Request header fields too large.") : .needMoreData
        }
        // Work on bytes: Foundation's String searching is the slowest part of a request otherwise.
        var lines: [ArraySlice<UInt8>] = []
        var lineStart = 0
        var index = 0
        while index + 1 < headerEnd + 2 {
            if buffer[index] == 13, buffer[index + 1] == 10 {
                lines.append(buffer[lineStart..<index])
                lineStart = index + 2
                index += 2
            } else {
                index += 1
            }
        }
        guard let first = lines.first else { return .reject(status: 400, reason: "Malformed request line.") }
        let requestLine = first.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false).map {
            String(decoding: $0, as: UTF8.self)
        }
        guard requestLine.count == 3, !requestLine[0].isEmpty, requestLine[1].hasPrefix("/"),
            requestLine[2] == "HTTP/1.1" || requestLine[2] == "HTTP/1.0",
            requestLine[0].utf8.allSatisfy({ $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") })
        else { return .reject(status: 400, reason: "Malformed request line.") }
        var headers = HTTPHeaders()
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon != line.startIndex,
                !line[line.startIndex..<colon].contains(where: { $0 == 32 || $0 == 9 })
            else { return .reject(status: 400, reason: "Malformed header line.") }
            var valueStart = colon + 1
            var valueEnd = line.endIndex
            while valueStart < valueEnd, line[valueStart] == 32 || line[valueStart] == 9 { valueStart += 1 }
            while valueEnd > valueStart, line[valueEnd - 1] == 32 || line[valueEnd - 1] == 9 { valueEnd -= 1 }
            headers.add(String(decoding: line[line.startIndex..<colon], as: UTF8.self), String(decoding: line[valueStart..<valueEnd], as: UTF8.self))
        }
        if headers["Transfer-Encoding"] != nil {
            return .reject(status: 411, reason: "Chunked bodies are not supported; send Content-Length.")
        }
        var length = 0
        if let text = headers["Content-Length"] {
            guard let value = Int(text), value >= 0 else { return .reject(status: 400, reason: "Invalid Content-Length.") }
            length = value
        }
        if length > maximumBodyBytes { return .reject(status: 413, reason: "The request body exceeds 1 MiB.") }
        let bodyStart = headerEnd + 4
        guard buffer.count >= bodyStart + length else { return .needMoreData }
        let host = headers["Host"] ?? "localhost"
        guard let url = URL(string: "http://\(host)\(requestLine[1])") else {
            return .reject(status: 400, reason: "Malformed request target.")
        }
        let connection = headers["Connection"]?.lowercased()
        let keepAlive = requestLine[2] == "HTTP/1.1" ? connection != "close" : connection == "keep-alive"
        let request = HTTPRequest(
            method: String(requestLine[0]), url: url, headers: headers, body: Data(buffer[bodyStart..<bodyStart + length]))
        return .request(request, keepAlive: keepAlive, consumed: bodyStart + length)
    }

    private static func findHeaderEnd(_ buffer: [UInt8]) -> Int? {
        guard buffer.count >= 4 else { return nil }
        var index = 0
        while index + 3 < buffer.count {
            if buffer[index] == 13, buffer[index + 1] == 10, buffer[index + 2] == 13, buffer[index + 3] == 10 { return index }
            index += 1
        }
        return nil
    }

    /// Serialises a response into one buffer, headers and body together (one write call).
    static func serialize(_ response: HTTPResponse, keepAlive: Bool) -> [UInt8] {
        var head = "HTTP/1.1 \(response.status) \(reasonPhrase(response.status))\r\n"
        for field in response.headers where field.name.lowercased() != "content-length" {
            head += "\(field.name): \(field.value)\r\n"
        }
        head += "Content-Length: \(response.body.count)\r\n"
        head += keepAlive ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n"
        var bytes = Array(head.utf8)
        bytes.append(contentsOf: response.body)
        return bytes
    }

    private static func reasonPhrase(_ status: Int) -> String {
        switch status {
        case 200: return "OK"
        case 400: return "Bad Request"
        case 404: return "Not Found"
        case 411: return "Length Required"
        case 413: return "Payload Too Large"
        case 431: return "Request Header Fields Too Large"
        case 500: return "Internal Server Error"
        default: return "Status"
        }
    }
}
