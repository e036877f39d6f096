import Foundation
import KMSAPI
import KMSLocal

/// The seeds the end-to-end tests use, built with kms-local's own seed model.
extension SeedFile {
    /// A CONNECTED CloudHSM store with `keys` (id → state), plus `ordinary` keys outside it.
    /// A pre-pending key is deleted `prePendingIn` seconds after `now`.
    public static func cloudHSM(
        storeID: String, keys: [(String, KeyState)], ordinary: Int = 3, prePendingIn: TimeInterval = 5, now: Date
    ) -> SeedFile {
        SeedFile(
            accountID: "111122223333", region: "us-east-1", trackingStartDate: now.addingTimeInterval(-400 * 86_400),
            stores: [
                SeedStore(
                    id: storeID, name: "hsm-\(storeID)", type: CustomKeyStoreType.cloudHSM.rawValue, clusterID: "cluster-1a23b4cdefg",
                    trustAnchorCertificate: "-----BEGIN CERTIFICATE-----test-----END CERTIFICATE-----",
                    connectionState: ConnectionState.connected.rawValue)
            ],
            keys: keys.map { harnessKey($0.0, state: $0.1, storeID: storeID, xks: false, prePendingIn: prePendingIn, now: now) },
            generatedKeys: ordinary)
    }

    /// A CONNECTED external key store with `keys` (id → state), plus `ordinary` keys outside it.
    public static func external(storeID: String, keys: [(String, KeyState)], ordinary: Int = 3, now: Date) -> SeedFile {
        SeedFile(
            accountID: "111122223333", region: "us-east-1", trackingStartDate: now.addingTimeInterval(-400 * 86_400),
            stores: [
                SeedStore(
                    id: storeID, name: "xks-\(storeID)", type: CustomKeyStoreType.external.rawValue,
                    xksProxyUriEndpoint: "https://xks.example.com", xksProxyUriPath: "/kms/xks/v1",
                    xksProxyConnectivity: "PUBLIC_ENDPOINT", xksProxyAccessKeyID: "ABCDE12345670EXAMPLE",
                    connectionState: ConnectionState.connected.rawValue)
            ],
            keys: keys.map { harnessKey($0.0, state: $0.1, storeID: storeID, xks: true, prePendingIn: 5, now: now) },
            generatedKeys: ordinary)
    }

    private static func harnessKey(
        _ id: String, state: KeyState, storeID: String, xks: Bool, prePendingIn: TimeInterval, now: Date
    ) -> SeedKey {
        let pending = state == .pendingDeletion
        return SeedKey(
            id: id, storeID: storeID, state: state.rawValue, creationDate: now.addingTimeInterval(-30 * 86_400),
            deletionDate: pending ? now.addingTimeInterval(prePendingIn) : nil, pendingWindowInDays: pending ? 7 : nil,
            xksKeyID: xks ? "ext-\(id.prefix(8))" : nil)
    }
}
