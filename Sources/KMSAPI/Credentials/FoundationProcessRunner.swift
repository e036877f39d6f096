import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs programs with Foundation's `Process`, reading both pipes as data arrives so a chatty child cannot block.
public struct FoundationProcessRunner: ProcessRunner {
    private let clock: any Clock<Duration>
    /// Output beyond this many bytes per stream is dropped; credential JSON is a few hundred bytes.
    private let outputLimit: Int

    /// Creates a runner.
    /// - Parameters:
    ///   - clock: the clock that measures timeouts.
    ///   - outputLimit: the most bytes kept from each of standard output and standard error.
    public init(clock: any Clock<Duration>, outputLimit: Int = 1 << 20) {
        self.clock = clock
        self.outputLimit = outputLimit
    }

    private enum Event: Sendable {
        case output(Data), error(Data), outputClosed, errorClosed
        case exited(Int32, signalled: Bool)
    }

    private enum Finish: Sendable {
        case completed(ProcessOutput)
        case timedOut
    }

    public func run(_ arguments: [String], environment: [String: String], timeout: Duration) async throws -> ProcessOutput {
        guard let program = arguments.first else {
            throw KMSError(code: .credentialsFailed, message: "The command to run is empty.")
        }
        let process = Process()
        // `env` looks the program up on PATH like a shell would, without a shell re-parsing arguments.
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["--"] + arguments
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        let outputPipe = Pipe()
        let errorPipe = Pipe()
        process.standardOutput = outputPipe
        process.standardError = errorPipe

        let (events, continuation) = AsyncStream.makeStream(of: Event.self)
        process.terminationHandler = { finished in
            continuation.yield(.exited(finished.terminationStatus, signalled: finished.terminationReason == .uncaughtSignal))
        }
        defer { continuation.finish() }
        do {
            try process.run()
        } catch {
            throw KMSError(
                code: .credentialsFailed, message: "Could not start '\(program)'; check that the program exists and is executable.",
                underlying: error)
        }
        // `run()` has already closed the parent's write ends, so EOF arrives once the child exits.
        // Blocking reads on two dedicated threads: `readabilityHandler` is backed by dispatch sources
        // that, on Linux, lost EOF events when tests spawned processes in parallel.
        let limit = outputLimit
        Self.startReader(outputPipe.fileHandleForReading, limit: limit) { continuation.yield(.output($0)) } done: {
            continuation.yield(.outputClosed)
        }
        Self.startReader(errorPipe.fileHandleForReading, limit: limit) { continuation.yield(.error($0)) } done: {
            continuation.yield(.errorClosed)
        }

        let clock = clock
        let finish = await withTaskGroup(of: Finish?.self) { group in
            group.addTask { await Self.collect(events, limit: limit).map(Finish.completed) }
            group.addTask {
                do {
                    try await clock.sleep(for: timeout)
                    return .timedOut
                } catch {
                    return nil
                }
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
        switch finish {
        case .completed(let output):
            return output
        case .timedOut, nil:
            if process.isRunning { Self.stop(process) }
            return ProcessOutput(status: -1, timedOut: true)
        }
    }

    /// Kills the child's whole process group (Process starts it in its own), so helpers it spawned stop too.
    ///
    /// SIGKILL rather than SIGTERM: the child inherits the signal mask of the spawning thread, and
    /// dispatch worker threads block SIGTERM, so a SIGTERM could be left pending forever.
    private static func stop(_ process: Process) {
        let pid = process.processIdentifier
        guard pid > 0 else { return }
        if kill(-pid, SIGKILL) != 0 { kill(pid, SIGKILL) }
    }

    /// Reads a pipe to end of file on its own thread, handing on at most `limit` bytes.
    private static func startReader(
        _ handle: FileHandle, limit: Int, chunk: @escaping @Sendable (Data) -> Void, done: @escaping @Sendable () -> Void
    ) {
        let thread = Thread {
            var total = 0
            // A read error ends the stream like end of file; the exit status still reports failure.
            while let data = try? handle.read(upToCount: 65_536), !data.isEmpty {
                if total < limit { chunk(data.prefix(limit - total)) }
                total += data.count
            }
            try? handle.close()
            done()
        }
        thread.start()
    }

    /// Gathers events until the process has exited and both pipes reached end of file.
    private static func collect(_ events: AsyncStream<Event>, limit: Int) async -> ProcessOutput? {
        var output = Data()
        var error = Data()
        var openStreams = 2
        var exit: (Int32, Bool)?
        for await event in events {
            switch event {
            case .output(let data): if output.count < limit { output.append(data.prefix(limit - output.count)) }
            case .error(let data): if error.count < limit { error.append(data.prefix(limit - error.count)) }
            case .outputClosed, .errorClosed: openStreams -= 1
            case .exited(let status, let signalled): exit = (status, signalled)
            }
            if openStreams == 0, let (status, signalled) = exit {
                return ProcessOutput(status: status, wasSignalled: signalled, standardOutput: output, standardError: error)
            }
        }
        return nil  // Cancelled by the timeout.
    }
}
