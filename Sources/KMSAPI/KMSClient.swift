import Foundation

/// Sends KMS JSON 1.1 requests: paces, signs, retries and decodes.
///
/// Every outside thing (clock, time of day, transport, credentials, randomness) is injected, so
/// tests drive it with a `ScriptedTransport` and a clock that never really sleeps.
public final class KMSClient: Sendable {
    /// The configuration the client was made with.
    public let configuration: KMSClientConfiguration
    /// Per-operation counters of calls, attempts, throttles and errors.
    public let metrics: KMSClientMetrics
    /// The retry decision in use.
    public let retryPolicy: RetryPolicy
    /// The retry quota, nil in legacy mode.
    public let retryQuota: RetryQuota?
    /// The client-side pacing.
    public let rateLimiter: RateLimiter

    private let credentialProvider: any CredentialProvider
    private let transport: any HTTPTransport
    private let clock: any Clock<Duration>
    private let timeline: ClockTimeline
    private let now: @Sendable () -> Date
    private let signer: SigV4Signer
    private let observer: (@Sendable (KMSCallEvent) -> Void)?

    /// Creates a client.
    /// - Parameters:
    ///   - rateLimiter: client-side pacing; `RateLimiter.unlimited` for none.
    ///   - clock: the clock retries sleep on and attempts are timed with.
    ///   - now: the time of day requests are signed at.
    ///   - random: the jitter source for retry backoff.
    ///   - observer: receives a `KMSCallEvent` after every attempt.
    public init(
        configuration: KMSClientConfiguration, credentials: any CredentialProvider,
        transport: any HTTPTransport, rateLimiter: RateLimiter, clock: any Clock<Duration>,
        now: @escaping @Sendable () -> Date, random: RandomSource,
        observer: (@Sendable (KMSCallEvent) -> Void)? = nil
    ) {
        let mode = configuration.resolvedRetryMode
        self.configuration = configuration
        self.credentialProvider = credentials
        self.transport = transport
        self.rateLimiter = rateLimiter
        self.clock = clock
        self.timeline = ClockTimeline(clock)
        self.now = now
        self.observer = observer
        self.signer = SigV4Signer(service: "kms", region: configuration.region)
        self.retryPolicy = RetryPolicy(mode: mode, maxAttempts: configuration.maxAttempts, random: random)
        self.retryQuota = mode.usesRetryQuota ? RetryQuota() : nil
        self.metrics = KMSClientMetrics()
    }

    /// Calls an operation, retrying per the retry policy, and returns its decoded output.
    /// - Throws: `KMSError` (the last attempt's error, with `awsErrorType` and `requestID`), or
    ///   `CancellationError` when the task is cancelled.
    public func send<Op: KMSOperation>(_ operation: Op.Type, _ input: Op.Input) async throws -> KMSResponse<Op.Output> {
        let name = Op.name
        metrics.update(name) { $0.calls += 1 }
        let body: Data
        do {
            body = try KMSJSON.encode(input)
        } catch {
            metrics.update(name) { $0.errors += 1 }
            throw KMSError(code: .invalidRequest, message: "The \(name) request could not be encoded as JSON.", underlying: error)
        }
        var attempt = 0
        var lastRetryCost: Int?
        while true {
            attempt += 1
            try Task.checkCancellation()
            try await rateLimiter.acquire(name)
            let started = timeline.now()
            do {
                let (output, requestID, status) = try await attemptOnce(Op.self, body: body)
                retryQuota?.recordSuccess(retryCost: lastRetryCost)
                rateLimiter.recordSuccess(name)
                metrics.update(name) { $0.attempts += 1 }
                report(name, attempt, started, status: status, requestID: requestID, error: nil, willRetry: false)
                return KMSResponse(output: output, requestID: requestID, attempts: attempt)
            } catch is CancellationError {
                metrics.update(name) { $0.attempts += 1 }
                throw CancellationError()
            } catch {
                let failure = error as? KMSError ?? KMSError(
                    code: .transportFailed, message: "The \(name) request failed unexpectedly; retry later.",
                    retryability: .clientError, underlying: error)
                guard let delay = retryDelay(after: failure, name, attempt, started, lastRetryCost: &lastRetryCost) else {
                    throw failure
                }
                try await clock.sleep(for: delay)
            }
        }
    }

    /// Records a failed attempt and returns how long to wait before the next, nil to give up.
    private func retryDelay(
        after error: KMSError, _ name: OperationName, _ attempt: Int, _ started: Int64, lastRetryCost: inout Int?
    ) -> Duration? {
        let isThrottle = error.retryability == .throttling
        // Pacing adapts in every retry mode: a throttled answer means the quota is lower than the
        // table assumed (shared with other callers), and slowing down is the only remedy.
        if isThrottle { rateLimiter.recordThrottle(name) }
        var delay: Duration?
        // A change whose outcome is unknown (the answer was lost, or KMS failed internally) is
        // never resent blindly: the caller reads live state first, since resending can do the
        // change twice or make KMS refuse it (a key already pending deletion).
        let isAmbiguousChange = name.isMutating && error.mayHaveBeenApplied
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

    /// Sends one attempt and decodes its answer.
    private func attemptOnce<Op: KMSOperation>(
        _ operation: Op.Type, body: Data
    ) async throws -> (output: Op.Output, requestID: String?, status: Int) {
        let response = try await sendOnce(Op.self, body: body)
        let output = try decode(Op.self, response)
        return (output.output, output.requestID, response.status)
    }

    /// Builds, signs and sends one attempt, turning an error status into a `KMSError`.
    private func sendOnce<Op: KMSOperation>(_ operation: Op.Type, body: Data) async throws -> HTTPResponse {
        let credentials = try await credentialProvider.credentials()
        let request = makeRequest(Op.name, body: body)
        var signed = signer.sign(request, credentials: credentials, date: now())
        // Added after signing: proxies and URLSession may rewrite User-Agent, so it is not signed.
        signed.headers.replace("User-Agent", with: configuration.userAgent)
        let response = try await transport.send(signed)
        guard (200..<300).contains(response.status) else {
            throw AWSErrorMapping.error(for: response, operation: Op.name)
        }
        return response
    }

    /// The unsigned request for an operation: `POST /` with the JSON 1.1 headers.
    func makeRequest(_ name: OperationName, body: Data) -> HTTPRequest {
        var url = configuration.endpoint
        // KMS's JSON protocol always posts to `/`; an endpoint given as `https://host` has no path.
        if url.path.isEmpty, var components = URLComponents(url: url, resolvingAgainstBaseURL: false) {
            components.path = "/"
            url = components.url ?? url
        }
        let headers = HTTPHeaders([
            ("Content-Type", "application/x-amz-json-1.1"),
            ("X-Amz-Target", "TrentService.\(name)"),
        ])
        return HTTPRequest(method: "POST", url: url, headers: headers, body: body)
    }

    private func decode<Op: KMSOperation>(_ operation: Op.Type, _ response: HTTPResponse) throws -> (output: Op.Output, requestID: String?) {
        let requestID = response.headers["x-amzn-RequestId"]
        do {
            return (try KMSJSON.decode(Op.Output.self, from: response.body), requestID)
        } catch {
            // The body may hold key material (Decrypt), so it goes nowhere near the message.
            throw KMSError(
                code: .invalidResponse,
                message: "The \(Op.name) answer could not be read; check that the endpoint is a KMS endpoint.",
                httpStatus: response.status, requestID: requestID, retryability: .clientError, underlying: error)
        }
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
                duration: .nanoseconds(timeline.now() - started), willRetry: willRetry))
    }
}
