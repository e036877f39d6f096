import Foundation
import KMSAPI
import Synchronization

/// An embeddable kms-local: the emulated KMS behind an HTTP/1.1 server on loopback.
///
/// ```swift
/// var configuration = KMSLocalConfiguration()
/// configuration.port = 0
/// let server = KMSLocalServer(configuration: configuration, now: { Date() })
/// let port = try server.start()   // server.endpoint is http://127.0.0.1:<port>
/// defer { server.stop() }
/// ```
public final class KMSLocalServer: Sendable {
    private enum State {
        case idle
        case running(Running)
        case stopped
    }

    private struct Running {
        var socketServer: SocketHTTPServer
        var persister: StatePersister?
        var port: Int
    }

    /// The configuration the server was made with.
    public let configuration: KMSLocalConfiguration
    private let now: @Sendable () -> Date
    private let log: @Sendable (String) -> Void
    private let makeAuthenticator: @Sendable (KMSLocalConfiguration) -> RequestAuthenticator
    private let state = Mutex<State>(.idle)

    /// Creates a server; nothing is bound until `start()`.
    /// - Parameters:
    ///   - now: the wall clock (timestamps, signature skew, quotas).
    ///   - log: receives one-line diagnostics (state save failures); never secrets.
    public convenience init(
        configuration: KMSLocalConfiguration, now: @escaping @Sendable () -> Date,
        log: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.init(configuration: configuration, now: now, log: log, makeAuthenticator: SignatureCheck.make)
    }

    init(
        configuration: KMSLocalConfiguration, now: @escaping @Sendable () -> Date, log: @escaping @Sendable (String) -> Void,
        makeAuthenticator: @escaping @Sendable (KMSLocalConfiguration) -> RequestAuthenticator
    ) {
        self.configuration = configuration
        self.now = now
        self.log = log
        self.makeAuthenticator = makeAuthenticator
    }

    /// Loads the state or seed, binds, starts serving and returns the bound port.
    /// - Throws: `KMSLocalError` with `kms-local.unreadable-seed` or `kms-local.invalid-seed` for a bad seed or
    ///   state file, `kms-local.listen-failed` for an unusable address, `kms-local.already-started`.
    @discardableResult
    public func start() throws -> Int {
        let (model, seed) = try makeModel()
        let principals = (seed?.principals ?? [:]).merging(configuration.principals) { _, flag in flag }
        let cloudTrail = try makeCloudTrail(model: model, seed: seed, principals: principals)
        let persister = configuration.stateFile.map { path in
            StatePersister(path: path, model: model, onError: log)
        }
        let handler = KMSProtocolHandler(
            model: model, authenticator: makeAuthenticator(configuration), quotas: configuration.quotas,
            faults: FaultInjector(rate: configuration.faultRate, seed: configuration.faultSeed),
            cloudTrail: cloudTrail, principals: principals, wallClock: now,
            onMutation: { persister?.markDirty() })
        let socketServer = SocketHTTPServer(latencyMilliseconds: configuration.latencyMilliseconds) { handler.handle($0) }
        return try state.withLock { state in
            guard case .idle = state else {
                throw KMSLocalError(code: .alreadyStarted, message: "This kms-local server was already started; make a new one.")
            }
            let port = try socketServer.start(host: configuration.host, port: configuration.port)
            state = .running(Running(socketServer: socketServer, persister: persister, port: port))
            return port
        }
    }

    /// The base URL clients should use, `http://HOST:PORT` (the configured port before start).
    public var endpoint: URL {
        let port = state.withLock { state -> Int in
            if case .running(let running) = state { return running.port }
            return configuration.port
        }
        return URL(string: "http://\(configuration.host):\(port)") ?? URL(fileURLWithPath: "/")
    }

    /// Stops serving, closes every connection and saves the state file.
    public func stop() {
        let running = state.withLock { state -> Running? in
            defer { state = .stopped }
            if case .running(let running) = state { return running }
            return nil
        }
        guard let running else { return }
        running.socketServer.stop()
        running.persister?.flush()
    }

    /// The trail, holding the seed's past events (a state file keeps none: they are not state).
    private func makeCloudTrail(model: KMSModel, seed: SeedFile?, principals: [String: String]) throws -> CloudTrailLog {
        let log = CloudTrailLog(lagSeconds: configuration.cloudTrailLagSeconds)
        let (account, region) = model.names()
        let defaultAccessKey = configuration.credentials.keys.sorted().first ?? KMSLocalConfiguration.defaultAccessKeyID
        var events: [TrailEvent] = []
        for entry in seed?.cloudtrailEvents ?? [] {
            events += try entry.trailEvents(
                model: model, accountID: account, region: region, principals: principals, defaultAccessKeyID: defaultAccessKey)
        }
        for event in events.sorted(by: { $0.time < $1.time }) { log.record(event) }
        return log
    }

    private func makeModel() throws -> (KMSModel, SeedFile?) {
        let clock = EmulatorClock(now: now, timeScale: configuration.timeScale)
        let start = clock.now()
        var seed: SeedFile?
        if let path = configuration.stateFile, let data = try? Data(contentsOf: URL(fileURLWithPath: path)) {
            seed = try decodeSeed(data, source: path)
        } else if let path = configuration.seedFile {
            let data: Data
            do {
                data = try Data(contentsOf: URL(fileURLWithPath: path))
            } catch {
                throw KMSLocalError(code: .unreadableSeed, message: "Cannot read seed file '\(path)'; check the path.", underlying: error)
            }
            seed = try decodeSeed(data, source: path)
        } else if let data = configuration.seedData {
            seed = try decodeSeed(data, source: "seed data")
        }
        let state = try ModelState.make(
            from: seed ?? SeedFile(), defaultAccountID: configuration.accountID,
            defaultRegion: configuration.region, now: start, clock: clock, deletionLagSeconds: configuration.deletionLagSeconds)
        return (KMSModel(state: state, clock: clock, deletionLagSeconds: configuration.deletionLagSeconds), seed)
    }

    private func decodeSeed(_ data: Data, source: String) throws -> SeedFile {
        do {
            return try SeedFile.makeDecoder().decode(SeedFile.self, from: data)
        } catch {
            throw KMSLocalError(
                code: .unreadableSeed, message: "'\(source)' is not a valid kms-local seed (see SEED-FORMAT.md): \(error).",
                underlying: error)
        }
    }
}
