import Foundation

/// Paces, signs, sends and retries requests to one AWS service: the one copy of that loop.
///
/// Every client in this module (KMS, and the other services it needs) sends through a pipeline,
/// so pacing, SigV4, retries with their quota, credentials and the `--verbose` observer behave
/// the same for all of them. Clients build requests and decode answers; the pipeline does the rest.
public final class AWSRequestPipeline: Sendable {
    /// Per-operation counters of calls, attempts, throttles and errors.
    public let metrics: KMSClientMetrics
    /// The retry decision in use.
    public let retryPolicy: RetryPolicy
    /// The retry quota, nil in legacy mode.
    public let retryQuota: RetryQuota?
    /// The client-side pacing (shared between clients that share an account's quotas).
    public let rateLimiter: RateLimiter
    /// The service name in the SigV4 scope (`kms`, `sts`, `cloudtrail`, `s3`).
    public let signingName: String
    /// The Region in the SigV4 scope.
    public let region: String

    private let credentialProvider: (any CredentialProvider)?
    private let transport: any HTTPTransport
    private let clock: any Clock<Duration>
    private let timeline: ClockTimeline
    private let now: @Sendable () -> Date
    private let signer: SigV4Signer
    private let userAgent: String
    private let errorDecoder: AWSErrorDecoder
    private let observer: (@Sendable (KMSCallEvent) -> Void)?

    /// Creates a pipeline for one service in one Region.
    /// - Parameters:
    ///   - credentials: signs `.sigV4` calls; nil for a pipeline that sends only unsigned calls.
    ///   - maxAttempts: total attempts per call; nil takes the retry mode's default.
    ///   - errorDecoder: turns a non-2xx answer into a `KMSError` with the AWS error name kept.
    ///   - observer: receives a `KMSCallEvent` after every attempt (never headers or bodies).
    ///   - pathCanonicalization: how SigV4 writes the request path; S3 signs it `.asSent`.
    public init(
        signingName: String, region: String, retryMode: RetryMode, maxAttempts: Int?, userAgent: String,
        credentials: (any CredentialProvider)?, transport: any HTTPTransport, rateLimiter: RateLimiter,
        clock: any Clock<Duration>, now: @escaping @Sendable () -> Date, random: RandomSource,
        errorDecoder: @escaping AWSErrorDecoder, observer: (@Sendable (KMSCallEvent) -> Void)? = nil,
        pathCanonicalization: SigV4.PathCanonicalization = .normalizedAndEncodedAgain
    ) {
        self.signingName = signingName
        self.region = region
        self.credentialProvider = credentials
        self.transport = transport
        self.rateLimiter = rateLimiter
        self.clock = clock
        self.timeline = ClockTimeline(clock)
        self.now = now
        self.userAgent = userAgent
        self.errorDecoder = errorDecoder
        self.observer = observer
        self.signer = SigV4Signer(service: signingName, region: region, pathCanonicalization: pathCanonicalization)
        self.retryPolicy = RetryPolicy(mode: retryMode, maxAttempts: maxAttempts, random: random)
        self.retryQuota = retryMode.usesRetryQuota ? RetryQuota() : nil
        self.metrics = KMSClientMetrics()
    }

    /// Sends a call, retrying per the retry policy, and returns the decoded 2xx answer.
    /// - Parameter decode: reads a 2xx answer; a `KMSError` it throws is classified like any other.
    /// - Throws: `KMSError` (the last attempt's error), or `CancellationError`.
    public func send<Value: Sendable>(
        _ call: AWSCall, decode: @Sendable (HTTPResponse) throws -> Value
    ) async throws -> KMSResponse<Value> {
        let name = call.operation
        metrics.update(name) { $0.calls += 1 }
        var attempt = 0
        var lastRetryCost: Int?
        while true {
            attempt += 1
            try Task.checkCancellation()
            try await rateLimiter.acquire(name)
            let started = timeline.now()
            do {
                let response = try await sendOnce(call)
                let value = try decode(response)
                let requestID = Self.requestID(of: response)
                retryQuota?.recordSuccess(retryCost: lastRetryCost)
                rateLimiter.recordSuccess(name)
                metrics.update(name) { $0.attempts += 1 }
                report(name, attempt, started, status: response.status, requestID: requestID, error: nil, willRetry: false)
                return KMSResponse(output: value, requestID: requestID, attempts: attempt)
            } catch is CancellationError {
                metrics.update(name) { $0.attempts += 1 }
                throw CancellationError()
            } catch {
                let failure = error as? KMSError ?? KMSError(
                    code: .transportFailed, message: "The \(name) request failed unexpectedly; retry later.",
                    retryability: .clientError, underlying: error)
                guard let delay = retryDelay(after: failure, call, attempt, started, lastRetryCost: &lastRetryCost) else {
                    throw failure
                }
                try await clock.sleep(for: delay)
            }
        }
    }

    /// The request id of an answer: `x-amzn-RequestId` (JSON and Query services) or `x-amz-request-id` (S3).
    public static func requestID(of response: HTTPResponse) -> String? {
        response.headers["x-amzn-RequestId"] ?? response.headers["x-amz-request-id"]
    }

    /// Records a failed attempt and returns how long to wait before the next, nil to give up.
    private func retryDelay(
        after error: KMSError, _ call: AWSCall, _ attempt: Int, _ started: Int64, lastRetryCost: inout Int?
    ) -> Duration? {
        let name = call.operation
        let isThrottle = error.retryability == .throttling
        // Pacing adapts in every retry mode: a throttled answer means the quota is lower than the
        // table assumed (shared with other callers), and slowing down is the only remedy.
        if isThrottle { rateLimiter.recordThrottle(name) }
        var delay: Duration?
        // A change whose outcome is unknown (the answer was lost, or the service failed
        // internally) is never resent blindly: the caller reads live state first, since resending
        // can do the change twice or make the service refuse it (a key already pending deletion).
        let isAmbiguousChange = call.isMutating && error.mayHaveBeenApplied
        if !isAmbiguousChange, case .retry(let wait) = retryPolicy.decide(error: error, attempt: attempt),
            payForRetry(after: error, cost: &lastRetryCost)
        {
            delay = wait
        }
        metrics.update(name) { counts in
            counts.attempts += 1
            if isThrottle { counts.throttles += 1 }
            if delay == nil { counts.errors += 1 }
        }
        report(name, attempt, started, status: error.httpStatus, requestID: error.requestID, error: error, willRetry: delay != nil)
        return delay
    }

    /// Takes a retry's cost from the quota (if any); false when the quota is exhausted.
    private func payForRetry(after error: KMSError, cost: inout Int?) -> Bool {
        guard let retryQuota else { return true }
        guard let paid = retryQuota.acquireRetry(after: error) else { return false }
        cost = paid
        return true
    }

    /// Signs (if asked) and sends one attempt, turning an error status into a `KMSError`.
    private func sendOnce(_ call: AWSCall) async throws -> HTTPResponse {
        var request = call.request
        if call.signing == .sigV4 {
            guard let credentialProvider else {
                throw KMSError(code: .noCredentials, message: "No credentials were given for signing \(call.operation).")
            }
            let credentials = try await credentialProvider.credentials()
            request = signer.sign(request, credentials: credentials, date: now())
        }
        // Added after signing: proxies and URLSession may rewrite User-Agent, so it is not signed.
        request.headers.replace("User-Agent", with: userAgent)
        let response = try await transport.send(request)
        guard (200..<300).contains(response.status) else {
            throw errorDecoder(response, call.operation)
        }
        return response
    }

    private func report(
        _ name: OperationName, _ attempt: Int, _ started: Int64, status: Int?, requestID: String?,
        error: KMSError?, willRetry: Bool
    ) {
        guard let observer else { return }
        observer(
            KMSCallEvent(
                operation: name, attempt: attempt, status: status, requestID: requestID,
                errorType: error?.awsErrorType, errorCode: error?.code,
                duration: .nanoseconds(timeline.now() - started), willRetry: willRetry,
                service: signingName))
    }
}
