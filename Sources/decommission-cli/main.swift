// Composition root: builds the real terminal, environment, clock, transports and signal handling,
// then hands everything to `runCLI`, which holds all the logic and is tested in-process.
import Foundation
import KMSAPI
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The last termination signal received, shared by the signal handlers and the exit path.
final class ReceivedSignal: Sendable {
    private let value = Mutex<Int32?>(nil)
    func record(_ signal: Int32) { value.withLock { $0 = signal } }
    var signal: Int32? { value.withLock { $0 } }
}

let environment = ProcessInfo.processInfo.environment
let clock = ContinuousClock()
let io = CLIIO(
    writeStdout: { FileHandle.standardOutput.write(Data($0.utf8)) },
    writeStderr: { FileHandle.standardError.write(Data($0.utf8)) },
    isStdoutTTY: isatty(1) == 1, isStderrTTY: isatty(2) == 1, isStdinTTY: isatty(0) == 1,
    readLine: { Swift.readLine(strippingNewline: true) })
let dependencies = CLIDependencies(
    environment: environment, io: io, currentDirectory: FileManager.default.currentDirectoryPath,
    homeDirectory: NSHomeDirectory(),
    transport: URLSessionTransport(),
    metadataTransport: URLSessionTransport(connectTimeout: 1, requestTimeout: 2, maxConnectionsPerHost: 2),
    readFile: SystemFileReader.read, processRunner: FoundationProcessRunner(clock: clock), clock: clock,
    now: { Date() },
    userName: environment["USER"].map { "\($0)@\(ProcessInfo.processInfo.hostName)" })

let received = ReceivedSignal()
let root = Task { await runCLI(arguments: Array(CommandLine.arguments.dropFirst()), dependencies: dependencies) }

// Ctrl-C and SIGTERM cancel the root task; commands save state and return 130.
let signalSources = SignalHandling.install([SIGINT, SIGTERM]) { @Sendable number in
    received.record(number)
    root.cancel()
}

var status = await root.value
if let number = received.signal, status == ExitCode.interrupted.rawValue, number == SIGTERM {
    status = ExitCode.terminated.rawValue
}
signalSources.forEach { $0.cancel() }
exit(status)
