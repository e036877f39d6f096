import Foundation
import KMSAPI
@testable import KMSLocal

/// Builds models over a fixed clock, with stores in chosen states, for the model suites.
enum ModelFixtures {
    static let start = Date(timeIntervalSince1970: 1_750_000_000)
    static let cloudHSMStoreID = "cks-1234567890abcdef0"
    static let xksStoreID = "cks-abcdef01234567890"

    /// Makes a model whose emulator clock stands still until `clock.advance(by:)`.
    static func makeModel(seed: SeedFile = SeedFile(seedVersion: 1), timeScale: Double = 1, deletionLag: Double = 0) throws -> KMSModel {
        let clock = EmulatorClock(now: { start }, timeScale: timeScale)
        let state = try ModelState.make(
            from: seed, defaultAccountID: "111122223333", defaultRegion: "us-east-1", now: start, clock: clock,
            deletionLagSeconds: deletionLag)
        return KMSModel(state: state, clock: clock, deletionLagSeconds: deletionLag)
    }

    /// A seed with one CloudHSM and one XKS store in the given state, and one key in each.
    static func storesSeed(state: String, keyState: String = "Enabled") -> SeedFile {
        var seed = SeedFile(seedVersion: 1)
        seed.trackingStartDate = start.addingTimeInterval(-86_400)
        seed.stores = [
            SeedStore(id: cloudHSMStoreID, name: "hsm", type: "AWS_CLOUDHSM", clusterID: "cluster-1a23b4cdefg", connectionState: state),
            SeedStore(
                id: xksStoreID, name: "xks", type: "EXTERNAL_KEY_STORE", xksProxyUriEndpoint: "https://proxy.example.com",
                xksProxyUriPath: "/kms/xks/v1", connectionState: state),
        ]
        seed.keys = [
            SeedKey(id: "11111111-1111-1111-1111-111111111111", storeID: cloudHSMStoreID, state: keyState, aliases: ["alias/hsm"]),
            SeedKey(id: "22222222-2222-2222-2222-222222222222", storeID: xksStoreID, state: keyState, xksKeyID: "ext-1"),
        ]
        return seed
    }

    static let hsmKey = "11111111-1111-1111-1111-111111111111"
    static let xksKey = "22222222-2222-2222-2222-222222222222"

    static func arn(_ id: String) -> String { "arn:aws:kms:us-east-1:111122223333:key/\(id)" }

    /// Returns the error type a failing model call throws, or nil on success.
    static func errorType<T>(_ body: () throws -> T) -> String? {
        error(body)?.type
    }

    /// Returns the thrown ServiceError, or nil on success.
    static func error<T>(_ body: () throws -> T) -> ServiceError? {
        do {
            _ = try body()
            return nil
        } catch let error as ServiceError {
            return error
        } catch {
            return ServiceError("UnexpectedError", "\(error)")
        }
    }
}
