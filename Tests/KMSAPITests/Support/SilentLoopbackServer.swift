import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A loopback listener that accepts connections and never answers: requests to it end only by
/// timeout or cancellation. `waitForConnection()` tells a test that a request is in flight.
final class SilentLoopbackServer: Sendable {
    private struct State {
        var accepted: [Int32] = []
        var connectionWaiters: [CheckedContinuation<Void, Never>] = []
        var isRunning = true
        var stopWaiter: CheckedContinuation<Void, Never>?
    }

    /// The port the server listens on.
    let port: UInt16
    private let listener: Int32
    private let state = Mutex(State())

    /// Starts listening on an ephemeral port.
    init() throws {
        (listener, port) = try LoopbackHTTPServer.openListener()
        Thread { [self] in acceptLoop() }.start()
    }

    /// The server's base URL, such as `http://127.0.0.1:41234`.
    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// How many connections were accepted so far.
    var connectionCount: Int { state.withLock { $0.accepted.count } }

    /// Returns once at least one connection has been accepted.
    func waitForConnection() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let isConnected = state.withLock { state in
                if !state.accepted.isEmpty { return true }
                state.connectionWaiters.append(continuation)
                return false
            }
            if isConnected { continuation.resume() }
        }
    }

    /// Stops accepting, waits for the accept thread to end, and closes every socket.
    func stop() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let isDone = state.withLock { state in
                if !state.isRunning { return true }
                state.stopWaiter = continuation
                return false
            }
            // shutdown() wakes the thread blocked in accept(); close() alone would not on Linux.
            shutdown(listener, Int32(SHUT_RDWR))
            if isDone { continuation.resume() }
        }
        let sockets = state.withLock { $0.accepted }
        sockets.forEach { _ = close($0) }
        close(listener)
    }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                break
            }
            let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
                state.accepted.append(client)
                defer { state.connectionWaiters = [] }
                return state.connectionWaiters
            }
            waiters.forEach { $0.resume() }
        }
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.isRunning = false
            defer { state.stopWaiter = nil }
            return state.stopWaiter
        }
        waiter?.resume()
    }
}
