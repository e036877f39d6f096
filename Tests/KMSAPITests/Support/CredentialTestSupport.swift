import Foundation
import Synchronization

@testable import KMSAPI

/// Small helpers shared by the credential and endpoint suites.
enum CredentialTestSupport {
    /// A file reader over an in-memory map of path to text.
    static func reader(_ files: [String: String]) -> FileReader {
        { path in files[path].map { Data($0.utf8) } }
    }

    /// Builds a shared configuration from config and credentials text.
    static func files(config: String = "", credentials: String = "") throws -> SharedConfiguration {
        try SharedConfiguration(
            config: SharedConfigFile(parsing: config, kind: .config, path: "/home/test/.aws/config"),
            credentials: SharedConfigFile(parsing: credentials, kind: .credentials, path: "/home/test/.aws/credentials"),
            configPath: "/home/test/.aws/config", credentialsPath: "/home/test/.aws/credentials")
    }

    /// Runs a body with a fresh temporary directory, removed afterwards.
    static func withTemporaryDirectory<T>(_ body: (URL) async throws -> T) async throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kmsapi-creds-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        return try await body(directory)
    }

    /// Writes a shell script and returns a command line that runs it with `/bin/sh`.
    ///
    /// Executing a freshly written file directly can fail with ETXTBSY (exit 126) when a parallel
    /// test forks while the file is still open for writing, so the script is read by `sh` instead.
    static func writeScript(_ body: String, named name: String, in directory: URL) throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data(("#!/bin/sh\n" + body + "\n").utf8).write(to: url)
        return "/bin/sh \"\(url.path)\""
    }

    /// A port on 127.0.0.1 where nothing listens (a server was started there and stopped).
    static func closedLoopbackPort() async throws -> UInt16 {
        let server = try LoopbackHTTPServer(routes: [:])
        await server.stop()
        return server.port
    }
}

/// A settable clock reading for `now:` closures.
final class ManualNow: Sendable {
    private let current: Mutex<Date>
    init(_ start: Date) { current = Mutex(start) }
    func advance(by seconds: TimeInterval) { current.withLock { $0 += seconds } }
    var now: @Sendable () -> Date { { [self] in current.withLock { $0 } } }
}

/// A clock whose sleeps end at once, so a timeout fires immediately without waiting.
struct ImmediateTimeoutClock: Clock {
    struct Instant: InstantProtocol {
        var offset: Duration
        func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        func duration(to other: Instant) -> Duration { other.offset - offset }
        static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
    }
    var now: Instant { Instant(offset: .zero) }
    var minimumResolution: Duration { .zero }
    func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        try Task.checkCancellation()
    }
}
