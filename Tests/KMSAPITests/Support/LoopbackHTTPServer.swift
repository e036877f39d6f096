import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A request the loopback server received.
struct RecordedRequest: Sendable, Equatable {
    var method: String
    var path: String
    /// Header fields with lowercased names.
    var headers: [String: String]
    var body: Data
}

/// A canned answer.
struct CannedResponse: Sendable {
    var status: Int
    var body: String
    init(status: Int = 200, body: String = "") {
        self.status = status
        self.body = body
    }
}

/// A tiny HTTP/1.1 server on 127.0.0.1 for tests: canned answers by `"METHOD /path"`, one thread per
/// connection, every request recorded, `Connection: close` on each answer.
final class LoopbackHTTPServer: Sendable {
    private struct State {
        var routes: [String: CannedResponse]
        var requests: [RecordedRequest] = []
        var liveThreads = 0
        var isStopping = false
        var stopWaiters: [CheckedContinuation<Void, Never>] = []
    }

    enum StartError: Error { case socket(String, Int32) }

    /// The port the server listens on.
    let port: UInt16
    private let listener: Int32
    private let state: Mutex<State>

    /// Starts listening on an ephemeral port.
    init(routes: [String: CannedResponse]) throws {
        state = Mutex(State(routes: routes))
        (listener, port) = try Self.openListener()
        startThread { $0.acceptLoop() }
    }

    /// Opens a socket listening on an ephemeral 127.0.0.1 port; returns it and the port.
    static func openListener() throws -> (socket: Int32, port: UInt16) {
        #if canImport(Glibc)
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw StartError.socket("socket", errno) }
        var reuse: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 32) == 0 else {
            let code = errno
            close(fd)
            throw StartError.socket("bind/listen", code)
        }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return (fd, UInt16(bigEndian: actual.sin_port))
    }

    /// The server's base URL, such as `http://127.0.0.1:41234`.
    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Every request received so far, in order of arrival.
    var requests: [RecordedRequest] { state.withLock { $0.requests } }

    /// Stops accepting, waits for every connection thread to finish, then closes the socket.
    func stop() async {
        let alreadyStopping = state.withLock { state in
            defer { state.isStopping = true }
            return state.isStopping
        }
        if !alreadyStopping {
            // shutdown() wakes the thread blocked in accept(); close() alone would not on Linux.
            shutdown(listener, Int32(SHUT_RDWR))
        }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let isDone = state.withLock { state in
                if state.liveThreads == 0 { return true }
                state.stopWaiters.append(continuation)
                return false
            }
            if isDone { continuation.resume() }
        }
        if !alreadyStopping { close(listener) }
    }

    // MARK: - Threads

    private func startThread(_ body: @escaping @Sendable (LoopbackHTTPServer) -> Void) {
        state.withLock { $0.liveThreads += 1 }
        let thread = Thread { [self] in
            body(self)
            let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
                state.liveThreads -= 1
                guard state.liveThreads == 0 else { return [] }
                defer { state.stopWaiters = [] }
                return state.stopWaiters
            }
            for waiter in waiters { waiter.resume() }
        }
        thread.start()
    }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 {
                if errno == EINTR && !state.withLock({ $0.isStopping }) { continue }
                return
            }
            if state.withLock({ $0.isStopping }) {
                close(client)
                return
            }
            var timeout = timeval(tv_sec: 5, tv_usec: 0)
            setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            startThread { $0.serve(client) }
        }
    }

    private func serve(_ client: Int32) {
        defer { close(client) }
        guard let request = readRequest(client) else { return }
        let response = state.withLock { state -> CannedResponse in
            state.requests.append(request)
            return state.routes["\(request.method) \(request.path)"] ?? CannedResponse(status: 404, body: "not found")
        }
        let body = Data(response.body.utf8)
        var head = "HTTP/1.1 \(response.status) Canned\r\nContent-Type: application/json\r\n"
        head += "Content-Length: \(body.count)\r\nConnection: close\r\n\r\n"
        writeAll(client, Data(head.utf8) + body)
    }

    private func readRequest(_ client: Int32) -> RecordedRequest? {
        var buffer = Data()
        let separator = Data("\r\n\r\n".utf8)
        var headerEnd: Range<Data.Index>?
        while headerEnd == nil {
            guard let chunk = receive(client) else { return nil }
            buffer.append(chunk)
            headerEnd = buffer.range(of: separator)
        }
        guard let headerEnd, let headText = String(data: buffer[..<headerEnd.lowerBound], encoding: .utf8) else { return nil }
        let lines = headText.components(separatedBy: "\r\n")
        let requestLine = (lines.first ?? "").split(separator: " ")
        guard requestLine.count >= 2 else { return nil }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var body = Data(buffer[headerEnd.upperBound...])
        let expected = Int(headers["content-length"] ?? "0") ?? 0
        while body.count < expected {
            guard let chunk = receive(client) else { break }
            body.append(chunk)
        }
        let target = String(requestLine[1])
        let path = target.split(separator: "?", maxSplits: 1).first.map(String.init) ?? target
        return RecordedRequest(method: String(requestLine[0]), path: path, headers: headers, body: body)
    }

    private func receive(_ client: Int32) -> Data? {
        var bytes = [UInt8](repeating: 0, count: 4096)
        let count = bytes.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        return Data(bytes[0..<count])
    }

    private func writeAll(_ client: Int32, _ data: Data) {
        var offset = 0
        while offset < data.count {
            let written = data.withUnsafeBytes { raw -> Int in
                guard let base = raw.baseAddress else { return -1 }
                #if canImport(Glibc)
                    return send(client, base + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                #else
                    return send(client, base + offset, raw.count - offset, 0)
                #endif
            }
            guard written > 0 else { return }
            offset += written
        }
    }
}

/// Runs a body with a started server and always stops it afterwards.
func withLoopbackServer<T>(
    routes: [String: CannedResponse], _ body: (LoopbackHTTPServer) async throws -> T
) async throws -> T {
    let server = try LoopbackHTTPServer(routes: routes)
    do {
        let result = try await body(server)
        await server.stop()
        return result
    } catch {
        await server.stop()
        throw error
    }
}
