import Foundation
import KMSAPI

/// The proxy of an external key store.
public struct XksProxyTarget: Codable, Sendable, Equatable {
    public var connectivity: XksProxyConnectivity?
    public var uriEndpoint: String?
    public var uriPath: String?
    public var vpcEndpointServiceName: String?
    public init(connectivity: XksProxyConnectivity?, uriEndpoint: String?, uriPath: String?, vpcEndpointServiceName: String?) {
        self.connectivity = connectivity
        self.uriEndpoint = uriEndpoint
        self.uriPath = uriPath
        self.vpcEndpointServiceName = vpcEndpointServiceName
    }
}
