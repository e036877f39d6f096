#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import Foundation
import KMSLocal

// Composition root: real clock, stdout/stderr, signals. Everything else lives in KMSLocal.
signal(SIGPIPE, SIG_IGN)

/// Prints `error: <message> (<code>)` and exits 2 (kms-local's only failure status).
func fail(_ error: any Error) -> Never {
    let line = (error as? KMSLocalError).map { "\($0.message) (\($0.code))" } ?? "\(error)"
    FileHandle.standardError.write(Data("error: \(line)\n".utf8))
    exit(2)
}

let parsed: KMSLocalArguments.Parsed
do {
    parsed = try KMSLocalArguments.parse(Array(CommandLine.arguments.dropFirst()))
} catch {
    fail(error)
}
let configuration: KMSLocalConfiguration
switch parsed {
case .run(let parsedConfiguration):
    configuration = parsedConfiguration
case .help:
    print(KMSLocalArguments.helpText)
    exit(0)
case .printQuotas:
    do {
        FileHandle.standardOutput.write(try QuotaTable().encoded())
    } catch {
        fail(error)
    }
    exit(0)
}
if !configuration.isLoopback {
    FileHandle.standardError.write(Data("warning: kms-local is listening on non-loopback address \(configuration.host); anyone who can reach it can use the well-known test credentials.\n".utf8))
}
let server = KMSLocalServer(configuration: configuration, now: { Date() }) { line in
    FileHandle.standardError.write(Data("kms-local: \(line)\n".utf8))
}
let port: Int
do {
    port = try server.start()
} catch {
    fail(error)
}
// FileHandle writes unbuffered, so the ready line reaches a pipe at once.
FileHandle.standardOutput.write(Data("kms-local listening on http://\(configuration.host):\(port)\n".utf8))

signal(SIGINT, SIG_IGN)
signal(SIGTERM, SIG_IGN)
// Signal handlers run on the main queue: top-level code is main-actor isolated.
var sources: [any DispatchSourceSignal] = []
for signalNumber in [SIGINT, SIGTERM] {
    let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .main)
    source.setEventHandler {
        server.stop()
        exit(0)
    }
    source.resume()
    sources.append(source)
}
dispatchMain()
