import Foundation

/// How a request is authenticated before it is sent.
public enum RequestSigning: Sendable, Equatable {
    /// Signed with SigV4 for the pipeline's service and Region, with the provider's credentials.
    case sigV4
    /// Sent as built: STS `AssumeRoleWithWebIdentity` and the SSO portal authenticate otherwise.
    case unsigned
}

/// One request as the shared pipeline sends it: what it is called, how to send it, how to retry it.
public struct AWSCall: Sendable {
    /// The operation name, for pacing, metrics and messages (`LookupEvents`).
    public var operation: OperationName
    /// The unsigned request; the pipeline signs every attempt afresh.
    public var request: HTTPRequest
    /// Whether the call changes state: an attempt whose outcome is unknown is then never resent.
    public var isMutating: Bool
    /// How the request is authenticated.
    public var signing: RequestSigning

    public init(operation: OperationName, request: HTTPRequest, isMutating: Bool, signing: RequestSigning = .sigV4) {
        self.operation = operation
        self.request = request
        self.isMutating = isMutating
        self.signing = signing
    }
}

/// Turns an error status into this module's error, the service's own way (JSON, XML, REST).
public typealias AWSErrorDecoder = @Sendable (_ response: HTTPResponse, _ operation: OperationName) -> KMSError
