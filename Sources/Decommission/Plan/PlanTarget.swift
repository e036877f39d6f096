import Foundation
import KMSAPI

/// The key store a plan retires, as found at plan time.
public struct PlanTarget: Codable, Sendable, Equatable {
    public var accountID: String?
    public var region: String
    public var endpoint: String
    public var keyStoreID: String
    public var keyStoreName: String?
    /// Written as AWS spells it (`AWS_CLOUDHSM`, `EXTERNAL_KEY_STORE`).
    public var keyStoreType: CustomKeyStoreType
    public var cloudHsmClusterID: String?
    public var xksProxy: XksProxyTarget?
    /// The store's `ConnectionState` at plan time.
    public var connectionState: ConnectionState
    public var connectionErrorCode: ConnectionErrorCode?

    public init(
        accountID: String?, region: String, endpoint: String, keyStoreID: String, keyStoreName: String?,
        keyStoreType: CustomKeyStoreType, cloudHsmClusterID: String?, xksProxy: XksProxyTarget?, connectionState: ConnectionState,
        connectionErrorCode: ConnectionErrorCode? = nil
    ) {
        self.accountID = accountID
        self.region = region
        self.endpoint = endpoint
        self.keyStoreID = keyStoreID
        self.keyStoreName = keyStoreName
        self.keyStoreType = keyStoreType
        self.cloudHsmClusterID = cloudHsmClusterID
        self.xksProxy = xksProxy
        self.connectionState = connectionState
        self.connectionErrorCode = connectionErrorCode
    }

    /// Whether the store is a CloudHSM key store.
    public var isCloudHSM: Bool { keyStoreType == .cloudHSM }

    enum CodingKeys: String, CodingKey {
        case accountID = "accountId", region, endpoint, keyStoreID = "keyStoreId", keyStoreName, keyStoreType
        case cloudHsmClusterID = "cloudHsmClusterId", xksProxy, connectionState, connectionErrorCode
    }
}
