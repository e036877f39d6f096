/// A decoded answer with what the call cost.
public struct KMSResponse<Output: Sendable>: Sendable {
    /// The decoded output.
    public var output: Output
    /// The `x-amzn-RequestId` of the answer, for support cases and audit logs.
    public var requestID: String?
    /// How many attempts the call took (1 when the first succeeded).
    public var attempts: Int

    public init(output: Output, requestID: String?, attempts: Int) {
        self.output = output
        self.requestID = requestID
        self.attempts = attempts
    }
}

/// What happened on one attempt of a call, for `--verbose` and metrics.
///
/// It carries no headers, bodies or credentials, so it is always safe to print.
public struct KMSCallEvent: Sendable, Equatable {
    /// The service called, as in its SigV4 scope (`kms`, `sts`, `cloudtrail`, `s3`).
    public var service: String
    /// The operation called.
    public var operation: OperationName
    /// The attempt number, 1 for the first send.
    public var attempt: Int
    /// The HTTP status, nil when no answer arrived.
    public var status: Int?
    /// The `x-amzn-RequestId` of the answer.
    public var requestID: String?
    /// The AWS error name (`ThrottlingException`), nil on success.
    public var errorType: String?
    /// This project's error code, nil on success.
    public var errorCode: KMSError.Code?
    /// How long the attempt took on the client's clock, pacing excluded.
    public var duration: Duration
    /// Whether the client will send the request again.
    public var willRetry: Bool

    public init(
        operation: OperationName, attempt: Int, status: Int?, requestID: String?, errorType: String?,
        errorCode: KMSError.Code?, duration: Duration, willRetry: Bool, service: String = "kms"
    ) {
        self.service = service
        self.operation = operation
        self.attempt = attempt
        self.status = status
        self.requestID = requestID
        self.errorType = errorType
        self.errorCode = errorCode
        self.duration = duration
        self.willRetry = willRetry
    }
}
