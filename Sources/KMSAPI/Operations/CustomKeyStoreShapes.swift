import Foundation

// Shapes of the custom key store operations, member for member as botocore's KMS model
// (2014-11-01) names them. Optional members are omitted when nil, never sent as null.

/// One entry of `DescribeCustomKeyStores` (`CustomKeyStoresListEntry`).
public struct CustomKeyStoresListEntry: Codable, Sendable, Equatable {
    public var customKeyStoreID: String?
    public var customKeyStoreName: String?
    public var cloudHsmClusterID: String?
    public var trustAnchorCertificate: String?
    public var connectionState: ConnectionState?
    public var connectionErrorCode: ConnectionErrorCode?
    public var creationDate: Date?
    public var customKeyStoreType: CustomKeyStoreType?
    public var xksProxyConfiguration: XksProxyConfiguration?

    public init(
        customKeyStoreID: String? = nil, customKeyStoreName: String? = nil,
        cloudHsmClusterID: String? = nil, trustAnchorCertificate: String? = nil,
        connectionState: ConnectionState? = nil, connectionErrorCode: ConnectionErrorCode? = nil,
        creationDate: Date? = nil, customKeyStoreType: CustomKeyStoreType? = nil,
        xksProxyConfiguration: XksProxyConfiguration? = nil
    ) {
        self.customKeyStoreID = customKeyStoreID
        self.customKeyStoreName = customKeyStoreName
        self.cloudHsmClusterID = cloudHsmClusterID
        self.trustAnchorCertificate = trustAnchorCertificate
        self.connectionState = connectionState
        self.connectionErrorCode = connectionErrorCode
        self.creationDate = creationDate
        self.customKeyStoreType = customKeyStoreType
        self.xksProxyConfiguration = xksProxyConfiguration
    }

    enum CodingKeys: String, CodingKey {
        case customKeyStoreID = "CustomKeyStoreId", customKeyStoreName = "CustomKeyStoreName"
        case cloudHsmClusterID = "CloudHsmClusterId", trustAnchorCertificate = "TrustAnchorCertificate"
        case connectionState = "ConnectionState", connectionErrorCode = "ConnectionErrorCode"
        case creationDate = "CreationDate", customKeyStoreType = "CustomKeyStoreType"
        case xksProxyConfiguration = "XksProxyConfiguration"
    }
}

/// The proxy settings of an external key store (`XksProxyConfigurationType`).
public struct XksProxyConfiguration: Codable, Sendable, Equatable {
    public var connectivity: XksProxyConnectivity?
    public var accessKeyID: String?
    public var uriEndpoint: String?
    public var uriPath: String?
    public var vpcEndpointServiceName: String?
    public var vpcEndpointServiceOwner: String?

    public init(
        connectivity: XksProxyConnectivity? = nil, accessKeyID: String? = nil,
        uriEndpoint: String? = nil, uriPath: String? = nil,
        vpcEndpointServiceName: String? = nil, vpcEndpointServiceOwner: String? = nil
    ) {
        self.connectivity = connectivity
        self.accessKeyID = accessKeyID
        self.uriEndpoint = uriEndpoint
        self.uriPath = uriPath
        self.vpcEndpointServiceName = vpcEndpointServiceName
        self.vpcEndpointServiceOwner = vpcEndpointServiceOwner
    }

    enum CodingKeys: String, CodingKey {
        case connectivity = "Connectivity", accessKeyID = "AccessKeyId", uriEndpoint = "UriEndpoint"
        case uriPath = "UriPath", vpcEndpointServiceName = "VpcEndpointServiceName"
        case vpcEndpointServiceOwner = "VpcEndpointServiceOwner"
    }
}

/// The proxy credential given to CreateCustomKeyStore (`XksProxyAuthenticationCredentialType`).
public struct XksProxyAuthenticationCredential: Codable, Sendable, Equatable, CustomStringConvertible {
    public var accessKeyID: String
    public var rawSecretAccessKey: String
    public init(accessKeyID: String, rawSecretAccessKey: String) {
        self.accessKeyID = accessKeyID
        self.rawSecretAccessKey = rawSecretAccessKey
    }
    /// Redacts the secret so the credential can never leak through logging.
    public var description: String { "XksProxyAuthenticationCredential(\(accessKeyID), <redacted>)" }
    enum CodingKeys: String, CodingKey {
        case accessKeyID = "AccessKeyId", rawSecretAccessKey = "RawSecretAccessKey"
    }
}

/// Input of `DescribeCustomKeyStores`.
public struct DescribeCustomKeyStoresRequest: Codable, Sendable, Equatable {
    public var customKeyStoreID: String?
    public var customKeyStoreName: String?
    public var limit: Int?
    public var marker: String?
    public init(customKeyStoreID: String? = nil, customKeyStoreName: String? = nil, limit: Int? = nil, marker: String? = nil) {
        self.customKeyStoreID = customKeyStoreID
        self.customKeyStoreName = customKeyStoreName
        self.limit = limit
        self.marker = marker
    }
    enum CodingKeys: String, CodingKey {
        case customKeyStoreID = "CustomKeyStoreId", customKeyStoreName = "CustomKeyStoreName"
        case limit = "Limit", marker = "Marker"
    }
}

/// Output of `DescribeCustomKeyStores`.
public struct DescribeCustomKeyStoresResponse: Codable, Sendable, Equatable {
    public var customKeyStores: [CustomKeyStoresListEntry]?
    public var nextMarker: String?
    public var truncated: Bool?
    public init(customKeyStores: [CustomKeyStoresListEntry]? = nil, nextMarker: String? = nil, truncated: Bool? = nil) {
        self.customKeyStores = customKeyStores
        self.nextMarker = nextMarker
        self.truncated = truncated
    }
    enum CodingKeys: String, CodingKey {
        case customKeyStores = "CustomKeyStores", nextMarker = "NextMarker", truncated = "Truncated"
    }
}

/// Input of `CreateCustomKeyStore`.
public struct CreateCustomKeyStoreRequest: Codable, Sendable, Equatable {
    public var customKeyStoreName: String
    public var cloudHsmClusterID: String?
    public var trustAnchorCertificate: String?
    public var keyStorePassword: String?
    public var customKeyStoreType: CustomKeyStoreType?
    public var xksProxyURIEndpoint: String?
    public var xksProxyURIPath: String?
    public var xksProxyVpcEndpointServiceName: String?
    public var xksProxyVpcEndpointServiceOwner: String?
    public var xksProxyAuthenticationCredential: XksProxyAuthenticationCredential?
    public var xksProxyConnectivity: XksProxyConnectivity?

    public init(
        customKeyStoreName: String, cloudHsmClusterID: String? = nil, trustAnchorCertificate: String? = nil,
        keyStorePassword: String? = nil, customKeyStoreType: CustomKeyStoreType? = nil,
        xksProxyURIEndpoint: String? = nil, xksProxyURIPath: String? = nil,
        xksProxyVpcEndpointServiceName: String? = nil, xksProxyVpcEndpointServiceOwner: String? = nil,
        xksProxyAuthenticationCredential: XksProxyAuthenticationCredential? = nil,
        xksProxyConnectivity: XksProxyConnectivity? = nil
    ) {
        self.customKeyStoreName = customKeyStoreName
        self.cloudHsmClusterID = cloudHsmClusterID
        self.trustAnchorCertificate = trustAnchorCertificate
        self.keyStorePassword = keyStorePassword
        self.customKeyStoreType = customKeyStoreType
        self.xksProxyURIEndpoint = xksProxyURIEndpoint
        self.xksProxyURIPath = xksProxyURIPath
        self.xksProxyVpcEndpointServiceName = xksProxyVpcEndpointServiceName
        self.xksProxyVpcEndpointServiceOwner = xksProxyVpcEndpointServiceOwner
        self.xksProxyAuthenticationCredential = xksProxyAuthenticationCredential
        self.xksProxyConnectivity = xksProxyConnectivity
    }

    enum CodingKeys: String, CodingKey {
        case customKeyStoreName = "CustomKeyStoreName", cloudHsmClusterID = "CloudHsmClusterId"
        case trustAnchorCertificate = "TrustAnchorCertificate", keyStorePassword = "KeyStorePassword"
        case customKeyStoreType = "CustomKeyStoreType", xksProxyURIEndpoint = "XksProxyUriEndpoint"
        case xksProxyURIPath = "XksProxyUriPath", xksProxyVpcEndpointServiceName = "XksProxyVpcEndpointServiceName"
        case xksProxyVpcEndpointServiceOwner = "XksProxyVpcEndpointServiceOwner"
        case xksProxyAuthenticationCredential = "XksProxyAuthenticationCredential"
        case xksProxyConnectivity = "XksProxyConnectivity"
    }
}

/// Output of `CreateCustomKeyStore`.
public struct CreateCustomKeyStoreResponse: Codable, Sendable, Equatable {
    public var customKeyStoreID: String?
    public init(customKeyStoreID: String? = nil) { self.customKeyStoreID = customKeyStoreID }
    enum CodingKeys: String, CodingKey { case customKeyStoreID = "CustomKeyStoreId" }
}

/// Input of `ConnectCustomKeyStore`, `DisconnectCustomKeyStore` and `DeleteCustomKeyStore`.
public struct CustomKeyStoreIDRequest: Codable, Sendable, Equatable {
    public var customKeyStoreID: String
    public init(customKeyStoreID: String) { self.customKeyStoreID = customKeyStoreID }
    enum CodingKeys: String, CodingKey { case customKeyStoreID = "CustomKeyStoreId" }
}

/// Input of `UpdateCustomKeyStore` (the members kms-local supports).
public struct UpdateCustomKeyStoreRequest: Codable, Sendable, Equatable {
    public var customKeyStoreID: String
    public var newCustomKeyStoreName: String?
    public var keyStorePassword: String?
    public var cloudHsmClusterID: String?
    public var xksProxyURIEndpoint: String?
    public var xksProxyURIPath: String?
    public var xksProxyAuthenticationCredential: XksProxyAuthenticationCredential?
    public init(
        customKeyStoreID: String, newCustomKeyStoreName: String? = nil, keyStorePassword: String? = nil,
        cloudHsmClusterID: String? = nil, xksProxyURIEndpoint: String? = nil, xksProxyURIPath: String? = nil,
        xksProxyAuthenticationCredential: XksProxyAuthenticationCredential? = nil
    ) {
        self.customKeyStoreID = customKeyStoreID
        self.newCustomKeyStoreName = newCustomKeyStoreName
        self.keyStorePassword = keyStorePassword
        self.cloudHsmClusterID = cloudHsmClusterID
        self.xksProxyURIEndpoint = xksProxyURIEndpoint
        self.xksProxyURIPath = xksProxyURIPath
        self.xksProxyAuthenticationCredential = xksProxyAuthenticationCredential
    }
    enum CodingKeys: String, CodingKey {
        case customKeyStoreID = "CustomKeyStoreId", newCustomKeyStoreName = "NewCustomKeyStoreName"
        case keyStorePassword = "KeyStorePassword", cloudHsmClusterID = "CloudHsmClusterId"
        case xksProxyURIEndpoint = "XksProxyUriEndpoint", xksProxyURIPath = "XksProxyUriPath"
        case xksProxyAuthenticationCredential = "XksProxyAuthenticationCredential"
    }
}

/// The empty output of operations whose botocore output shape has no members.
public struct EmptyResponse: Codable, Sendable, Equatable {
    public init() {}
}
