import Foundation

/// An error from the KMS client: an AWS error answer, a transport failure, or bad configuration.
///
/// `code` is stable and meant for programs; `message` is one sentence for people. The AWS error
/// name (`NotFoundException`, ...) is kept in `awsErrorType` exactly as the service sent it.
public struct KMSError: Error, Sendable, CustomStringConvertible {
    /// A stable, machine-readable error code written as `area.kebab-reason`.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        // MARK: - Service answers
        /// The service rejected the request because of a rate limit.
        public static let throttled = Code(rawValue: "kms.throttled")
        /// The key does not exist or is not visible to the caller (`NotFoundException`).
        public static let keyNotFound = Code(rawValue: "kms.key-not-found")
        /// The key's state does not allow the operation (`KMSInvalidStateException`).
        public static let invalidKeyState = Code(rawValue: "kms.invalid-key-state")
        /// The key is disabled (`DisabledException`).
        public static let keyDisabled = Code(rawValue: "kms.key-disabled")
        /// The custom key store does not exist (`CustomKeyStoreNotFoundException`).
        public static let keyStoreNotFound = Code(rawValue: "kms.key-store-not-found")
        /// The store's connection state does not allow the operation.
        public static let keyStoreInvalidState = Code(rawValue: "kms.key-store-invalid-state")
        /// The store still holds KMS keys (`CustomKeyStoreHasCMKsException`).
        public static let keyStoreHasKeys = Code(rawValue: "kms.key-store-has-keys")
        /// The caller lacks permission (`AccessDeniedException`).
        public static let accessDenied = Code(rawValue: "kms.access-denied")
        /// The request signature or credentials were rejected.
        public static let authenticationFailed = Code(rawValue: "kms.authentication-failed")
        /// A request member is missing or malformed (`ValidationException` and similar).
        public static let invalidRequest = Code(rawValue: "kms.invalid-request")
        /// A resource quota was reached (`LimitExceededException`); not retried.
        public static let limitExceeded = Code(rawValue: "kms.limit-exceeded")
        /// KMS failed internally or a dependency timed out; retried.
        public static let serviceUnavailable = Code(rawValue: "kms.service-unavailable")
        /// Any other AWS error; `awsErrorType` names it.
        public static let serviceError = Code(rawValue: "kms.service-error")
        /// The answer could not be understood.
        public static let invalidResponse = Code(rawValue: "kms.invalid-response")

        // MARK: - Transport
        /// Nothing listens at the endpoint.
        public static let connectionRefused = Code(rawValue: "kms.connection-refused")
        /// The connection broke before an answer arrived.
        public static let connectionLost = Code(rawValue: "kms.connection-lost")
        /// The endpoint did not answer in time.
        public static let timeout = Code(rawValue: "kms.timeout")
        /// The endpoint's host name could not be resolved.
        public static let hostNotFound = Code(rawValue: "kms.host-not-found")
        /// TLS failed (certificate or handshake).
        public static let tlsFailed = Code(rawValue: "kms.tls-failed")
        /// Another transport failure.
        public static let transportFailed = Code(rawValue: "kms.transport-failed")

        // MARK: - Configuration
        /// No region is configured.
        public static let noRegion = Code(rawValue: "config.no-region")
        /// No credentials could be found.
        public static let noCredentials = Code(rawValue: "config.no-credentials")
        /// A credential source is misconfigured or failed.
        public static let credentialsFailed = Code(rawValue: "config.credentials-failed")
        /// A profile needs a feature this tool does not support yet.
        public static let unsupportedProfile = Code(rawValue: "config.unsupported-profile")
        /// A configuration value is invalid.
        public static let invalidConfiguration = Code(rawValue: "config.invalid")
    }

    /// How the retry policy should treat an error (smithy-swift's classification).
    public enum Retryability: String, Sendable {
        case throttling, transient, serverError, clientError
        /// Whether errors of this kind are retried.
        public var isRetryable: Bool { self != .clientError }
    }

    public let code: Code
    public let message: String
    public var awsErrorType: String?
    public var httpStatus: Int?
    public var requestID: String?
    public var retryability: Retryability
    public var underlying: (any Error & Sendable)?

    public init(
        code: Code, message: String, awsErrorType: String? = nil, httpStatus: Int? = nil,
        requestID: String? = nil, retryability: Retryability = .clientError,
        underlying: (any Error & Sendable)? = nil
    ) {
        self.code = code
        self.message = message
        self.awsErrorType = awsErrorType
        self.httpStatus = httpStatus
        self.requestID = requestID
        self.retryability = retryability
        self.underlying = underlying
    }

    /// Whether the error may go away if the same request is sent again.
    public var isRetryable: Bool { retryability.isRetryable }

    /// Whether the request may have reached KMS and been applied (a connection lost mid-call).
    public var mayHaveBeenApplied: Bool {
        code == .connectionLost || code == .timeout || retryability == .serverError
    }

    public var description: String {
        var text = message
        if let awsErrorType { text += " (\(awsErrorType))" }
        return "\(text) [\(code)]"
    }
}
