import Foundation

/// A string-valued AWS enum that tolerates values this build does not know yet.
///
/// KMS adds enum members over time (key specs, connection error codes); decoding must not fail on
/// them, so closed sets on the wire are open structs with named constants rather than Swift enums.
public protocol WireValue: RawRepresentable, Codable, Hashable, Sendable, CustomStringConvertible,
    ExpressibleByStringLiteral where RawValue == String
{
    init(rawValue: String)
}

extension WireValue {
    public init(stringLiteral value: String) { self.init(rawValue: value) }
    public var description: String { rawValue }
    public init(from decoder: any Decoder) throws {
        self.init(rawValue: try decoder.singleValueContainer().decode(String.self))
    }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// The state of a KMS key (`KeyState`).
public struct KeyState: WireValue {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public static let enabled: KeyState = "Enabled"
    public static let disabled: KeyState = "Disabled"
    public static let pendingDeletion: KeyState = "PendingDeletion"
    public static let pendingImport: KeyState = "PendingImport"
    public static let pendingReplicaDeletion: KeyState = "PendingReplicaDeletion"
    public static let unavailable: KeyState = "Unavailable"
    public static let creating: KeyState = "Creating"
    public static let updating: KeyState = "Updating"
}

/// The connection state of a custom key store (`ConnectionStateType`).
public struct ConnectionState: WireValue {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public static let connected: ConnectionState = "CONNECTED"
    public static let connecting: ConnectionState = "CONNECTING"
    public static let failed: ConnectionState = "FAILED"
    public static let disconnected: ConnectionState = "DISCONNECTED"
    public static let disconnecting: ConnectionState = "DISCONNECTING"
}

/// Why a custom key store is in the FAILED state (`ConnectionErrorCodeType`).
public struct ConnectionErrorCode: WireValue {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public static let internalError: ConnectionErrorCode = "INTERNAL_ERROR"
    public static let networkErrors: ConnectionErrorCode = "NETWORK_ERRORS"
    public static let invalidCredentials: ConnectionErrorCode = "INVALID_CREDENTIALS"
    public static let clusterNotFound: ConnectionErrorCode = "CLUSTER_NOT_FOUND"
    public static let insufficientCloudHSMHSMs: ConnectionErrorCode = "INSUFFICIENT_CLOUDHSM_HSMS"
    public static let userLoggedIn: ConnectionErrorCode = "USER_LOGGED_IN"
    public static let xksProxyNotReachable: ConnectionErrorCode = "XKS_PROXY_NOT_REACHABLE"
}

/// The kind of a custom key store (`CustomKeyStoreType`).
public struct CustomKeyStoreType: WireValue {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public static let cloudHSM: CustomKeyStoreType = "AWS_CLOUDHSM"
    public static let external: CustomKeyStoreType = "EXTERNAL_KEY_STORE"
}

/// Where a key's material comes from (`OriginType`).
public struct KeyOrigin: WireValue {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public static let awsKMS: KeyOrigin = "AWS_KMS"
    public static let external: KeyOrigin = "EXTERNAL"
    public static let cloudHSM: KeyOrigin = "AWS_CLOUDHSM"
    public static let externalKeyStore: KeyOrigin = "EXTERNAL_KEY_STORE"
}

/// How an external key store reaches its proxy (`XksProxyConnectivityType`).
public struct XksProxyConnectivity: WireValue {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public static let publicEndpoint: XksProxyConnectivity = "PUBLIC_ENDPOINT"
    public static let vpcEndpointService: XksProxyConnectivity = "VPC_ENDPOINT_SERVICE"
}
