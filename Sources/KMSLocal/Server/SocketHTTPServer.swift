#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import KMSAPI
import Synchronization

/// A blocking HTTP/1.1 server on POSIX sockets: one accept thread and one thread per connection.
///
/// Threads live only at this socket layer, where blocking system calls need them. Every answer
/// goes out in one `send` (headers and body together, TCP_NODELAY) to avoid delayed-ACK stalls.
final class SocketHTTPServer: Sendable {
    /// What the connection thread does with a parsed request.
    typealias Handler = @Sendable (HTTPRequest) -> KMSProtocolHandler.Outcome

    private struct State {
        var listener: Int32 = -1
        var clients: Set<Int32> = []
        var isStopping = false
    }

    private let handler: Handler
    private let latencyMicroseconds: UInt32
    private let state = Mutex(State())

    init(latencyMilliseconds: Int, handler: @escaping Handler) {
        self.handler = handler
        self.latencyMicroseconds = UInt32(clamping: max(0, latencyMilliseconds) * 1000)
    }

    /// Binds and listens, starts the accept thread, and returns the bound port.
    /// - Throws: `KMSLocalError` with `kms-local.listen-failed` when the address is bad or the port is taken.
    func start(host: String, port: Int) throws -> Int {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(clamping: port)).bigEndian
        guard (0...65535).contains(port), inet_pton(AF_INET, host, &address.sin_addr) == 1 else {
            throw KMSLocalError(code: .listenFailed, message: "Cannot listen on '\(host):\(port)'; give an IPv4 address and a port from 0 to 65535.")
        }
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw KMSLocalError(code: .listenFailed, message: "Could not create a socket (errno \(errno)).") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 512) == 0 else {
            let code = errno
            close(fd)
            throw KMSLocalError(code: .listenFailed, message: "Cannot listen on \(host):\(port) (errno \(code)); choose another port or --port 0.")
        }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        state.withLock { $0.listener = fd }
        let thread = Thread { [self] in acceptLoop(fd) }
        thread.name = "kms-local-accept"
        thread.start()
        return Int(UInt16(bigEndian: actual.sin_port))
    }

    /// Stops accepting, wakes every blocked thread with `shutdown()` and lets them close.
    func stop() {
        let (listener, clients) = state.withLock { state -> (Int32, Set<Int32>) in
            state.isStopping = true
            let result = (state.listener, state.clients)
            state.listener = -1
            return result
        }
        if listener >= 0 {
            // close() does not wake a blocked accept(); shutdown() does.
            shutdown(listener, Int32(SHUT_RDWR))
        }
        for client in clients { shutdown(client, Int32(SHUT_RDWR)) }
    }

    private func acceptLoop(_ listener: Int32) {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                break
            }
            let admitted = state.withLock { state -> Bool in
                guard !state.isStopping else { return false }
                state.clients.insert(client)
                return true
            }
            guard admitted else {
                close(client)
                break
            }
            var yes: Int32 = 1
            setsockopt(client, Int32(IPPROTO_TCP), TCP_NODELAY, &yes, socklen_t(MemoryLayout<Int32>.size))
            #if canImport(Darwin)
            setsockopt(client, SOL_SOCKET, SO_NOSIGPIPE, &yes, socklen_t(MemoryLayout<Int32>.size))
            #endif
            let thread = Thread { [self] in serve(client) }
            thread.name = "kms-local-connection"
            thread.start()
        }
        close(listener)
    }

    private func serve(_ client: Int32) {
        defer {
            state.withLock { _ = $0.clients.remove(client) }
            close(client)
        }
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            switch HTTPRequestParser.parse(buffer) {
            case .needMoreData:
                let count = chunk.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, 0) }
                if count <= 0 { return }
                buffer.append(contentsOf: chunk[0..<count])
            case .reject(let status, let reason):
                let body = Data("{\"__type\":\"BadRequest\",\"message\":\"\(reason)\"}".utf8)
                let response = HTTPResponse(status: status, headers: HTTPHeaders([("Content-Type", "application/json")]), body: body)
                _ = sendAll(client, HTTPRequestParser.serialize(response, keepAlive: false))
                return
            case .request(let request, let keepAlive, let consumed):
                buffer.removeFirst(consumed)
                let outcome = handler(request)
                if latencyMicroseconds > 0 { usleep(latencyMicroseconds) }
                guard case .respond(let response) = outcome else { return }
                guard sendAll(client, HTTPRequestParser.serialize(response, keepAlive: keepAlive)), keepAlive else { return }
            }
        }
    }

    private func sendAll(_ client: Int32, _ bytes: [UInt8]) -> Bool {
        #if canImport(Glibc)
        let flags = Int32(MSG_NOSIGNAL)
        #else
        let flags: Int32 = 0
        #endif
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { raw -> Int in
                guard let base = raw.baseAddress else { return -1 }
                return send(client, base + offset, raw.count - offset, flags)
            }
            if sent <= 0 {
                if sent < 0, errno == EINTR { continue }
                return false
            }
            offset += sent
        }
        return true
    }
}
