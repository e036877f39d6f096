import Foundation

/// An error from the KMS client: an AWS error answer, a transport failure, or bad configuration.
///
/// `code` is stable and meant for programs; `message` is one sentence for people. The AWS error
/// name (`NotFoundException`, ...) is kept in `awsErrorType` exactly as the service sent it.
public struct KMSError: Error, Sendable, CustomStringConvertible {
    /// A stable, machine-readable error code written as `area.kebab-reason`.
    ///
    /// A closed set: every code this module can produce is a case here (and in the README's table).
    public enum Code: String, CaseIterable, Sendable, CustomStringConvertible {
        public var description: String { rawValue }

        // MARK: - Service answers
        /// The service rejected the request because of a rate limit.
        case throttled = "kms.throttled"
        /// The key does not exist or is not visible to the caller (`NotFoundException`).
        case keyNotFound = "kms.key-not-found"
        /// The key's state does not allow the operation (`KMSInvalidStateException`).
        case invalidKeyState = "kms.invalid-key-state"
        /// The key is disabled (`DisabledException`).
        case keyDisabled = "kms.key-disabled"
        /// The custom key store does not exist (`CustomKeyStoreNotFoundException`).
        case keyStoreNotFound = "kms.key-store-not-found"
        /// The store's connection state does not allow the operation.
        case keyStoreInvalidState = "kms.key-store-invalid-state"
        /// The store still holds KMS keys (`CustomKeyStoreHasCMKsException`).
        case keyStoreHasKeys = "kms.key-store-has-keys"
        /// The caller lacks permission (`AccessDeniedException`).
        case accessDenied = "kms.access-denied"
        /// The request signature or credentials were rejected.
        case authenticationFailed = "kms.authentication-failed"
        /// A request member is missing or malformed (`ValidationException` and similar).
        case invalidRequest = "kms.invalid-request"
        /// A resource quota was reached (`LimitExceededException`); not retried.
        case limitExceeded = "kms.limit-exceeded"
        /// KMS failed internally or a dependency timed out; retried.
        case serviceUnavailable = "kms.service-unavailable"
        /// Any other AWS error; `awsErrorType` names it.
        case serviceError = "kms.service-error"
        /// The answer could not be understood.
        case invalidResponse = "kms.invalid-response"

        // MARK: - Transport
        /// Nothing listens at the endpoint.
        case connectionRefused = "kms.connection-refused"
        /// The connection broke before an answer arrived.
        case connectionLost = "kms.connection-lost"
        /// The endpoint did not answer in time.
        case timeout = "kms.timeout"
        /// The endpoint's host name could not be resolved.
        case hostNotFound = "kms.host-not-found"
        /// TLS failed (certificate or handshake).
        case tlsFailed = "kms.tls-failed"
        /// Another transport failure.
        case transportFailed = "kms.transport-failed"

        // MARK: - Configuration
        /// No region is configured.
        case noRegion = "config.no-region"
        /// No credentials could be found.
        case noCredentials = "config.no-credentials"
        /// A credential source is misconfigured or failed.
        case credentialsFailed = "config.credentials-failed"
        /// A profile uses a sign-in method this tool does not support (`login_session`).
        case unsupportedProfile = "config.unsupported-profile"
        /// A configuration value is invalid.
        case invalidConfiguration = "config.invalid"

        // MARK: - S3
        /// The bucket does not exist (`NoSuchBucket`).
        case s3NoSuchBucket = "s3.no-such-bucket"
        /// The object does not exist (`NoSuchKey`).
        case s3NoSuchKey = "s3.no-such-key"
        /// A body-less answer (HeadObject) said 404: the object or its bucket does not exist.
        case s3NotFound = "s3.not-found"
        /// A conditional request's condition did not hold (`PreconditionFailed`, HTTP 412).
        case s3PreconditionFailed = "s3.precondition-failed"
        /// Another conditional write on the object was in progress (`ConditionalRequestConflict`, HTTP 409).
        case s3ConditionalRequestConflict = "s3.conditional-request-conflict"
        /// The bucket is in another Region than the one requests are signed for.
        case s3WrongRegion = "s3.wrong-region"
        /// An `s3://` location could not be understood.
        case s3InvalidLocation = "s3.invalid-location"
        /// A server-side encryption option is not one S3 accepts.
        case s3InvalidEncryption = "s3.invalid-encryption"
        // MARK: - Signing in
        /// A person must sign in again (SSO session expired, MFA code needed without a terminal,
        /// web identity token unreadable or rejected): stop, keep state, resume after signing in.
        case signInRequired = "config.sign-in-required"
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

    /// Whether a person must sign in again before this can work (`config.sign-in-required`): a run
    /// should checkpoint and stop rather than fail the step; the call was never sent.
    public var requiresSignIn: Bool { code == .signInRequired }

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
