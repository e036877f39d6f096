import Dispatch

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Turns SIGINT and SIGTERM into a callback on a private queue (the default action is ignored).
enum SignalHandling {
    /// Installs sources for `signals`; keep the returned sources alive while they should fire.
    ///
    /// Lives outside `main.swift` so the handler is not inferred to run on the main actor: it runs
    /// on a dispatch queue, and a main-actor closure there fails the runtime isolation check.
    static func install(_ signals: [Int32], onSignal: @escaping @Sendable (Int32) -> Void) -> [any DispatchSourceSignal] {
        let queue = DispatchQueue(label: "decommission.signals")
        return signals.map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { onSignal(number) }
            source.resume()
            return source
        }
    }
}
