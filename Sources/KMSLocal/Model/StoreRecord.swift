import Foundation
import KMSAPI

/// One custom key store as the model keeps it.
struct StoreRecord: Sendable, Equatable {
    var id: String
    var name: String
    var type: CustomKeyStoreType
    var creationDate: Date
    var connectionState: ConnectionState
    var connectionErrorCode: ConnectionErrorCode?
    // CloudHSM members.
    var clusterID: String?
    var trustAnchorCertificate: String?
    // External key store members (the proxy secret is never kept: nothing here talks to a proxy).
    var xksProxy: XksProxyConfiguration?
    /// Simulated seconds a connect takes before the time scale.
    var connectSeconds: Double
    /// Simulated seconds a disconnect takes before the time scale.
    var disconnectSeconds: Double
    /// When set, the next connect ends in FAILED with this code instead of CONNECTED.
    var nextConnectFailure: ConnectionErrorCode?
    /// Emulator time at which CONNECTING or DISCONNECTING completes.
    var transitionDue: Date?

    static let defaultCloudHSMConnectSeconds: Double = 600
    static let defaultCloudHSMDisconnectSeconds: Double = 120
    static let defaultXKSConnectSeconds: Double = 300
    static let defaultXKSDisconnectSeconds: Double = 300

    /// The store as DescribeCustomKeyStores lists it.
    var listEntry: CustomKeyStoresListEntry {
        CustomKeyStoresListEntry(
            customKeyStoreID: id, customKeyStoreName: name, cloudHsmClusterID: clusterID,
            trustAnchorCertificate: trustAnchorCertificate, connectionState: connectionState,
            connectionErrorCode: connectionState == .failed ? connectionErrorCode : nil,
            creationDate: creationDate, customKeyStoreType: type, xksProxyConfiguration: xksProxy)
    }

    /// Applies a due connect or disconnect completion; returns whether anything changed.
    mutating func settle(at now: Date) -> Bool {
        guard let due = transitionDue, due <= now else { return false }
        transitionDue = nil
        switch connectionState {
        case .connecting:
            if let failure = nextConnectFailure {
                connectionState = .failed
                connectionErrorCode = failure
                nextConnectFailure = nil
            } else {
                connectionState = .connected
                connectionErrorCode = nil
            }
        case .disconnecting:
            connectionState = .disconnected
            connectionErrorCode = nil
        default:
            break
        }
        return true
    }
}
