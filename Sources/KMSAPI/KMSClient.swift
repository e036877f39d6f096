import Foundation

/// Sends KMS JSON 1.1 requests: paces, signs, retries and decodes.
///
/// Every outside thing (clock, time of day, transport, credentials, randomness) is injected, so
/// tests drive it with a `ScriptedTransport` and a clock that never really sleeps.
public final class KMSClient: Sendable {
    /// The configuration the client was made with.
    public let configuration: KMSClientConfiguration
    /// The shared pacing, signing and retry loop every call goes through.
    public let pipeline: AWSRequestPipeline
    /// Per-operation counters of calls, attempts, throttles and errors.
    public var metrics: KMSClientMetrics { pipeline.metrics }
    /// The retry decision in use.
    public var retryPolicy: RetryPolicy { pipeline.retryPolicy }
    /// The retry quota, nil in legacy mode.
    public var retryQuota: RetryQuota? { pipeline.retryQuota }
    /// The client-side pacing.
    public var rateLimiter: RateLimiter { pipeline.rateLimiter }

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
        self.configuration = configuration
        self.pipeline = AWSRequestPipeline(
            signingName: "kms", region: configuration.region, retryMode: configuration.resolvedRetryMode,
            maxAttempts: configuration.maxAttempts, userAgent: configuration.userAgent, credentials: credentials,
            transport: transport, rateLimiter: rateLimiter, clock: clock, now: now, random: random,
            errorDecoder: { response, operation in AWSErrorMapping.error(for: response, operation: operation) },
            observer: observer)
    }

    /// Calls an operation, retrying per the retry policy, and returns its decoded output.
    /// - Throws: `KMSError` (the last attempt's error, with `awsErrorType` and `requestID`), or
    ///   `CancellationError` when the task is cancelled.
    public func send<Op: KMSOperation>(_ operation: Op.Type, _ input: Op.Input) async throws -> KMSResponse<Op.Output> {
        let name = Op.name
        let body: Data
        do {
            body = try KMSJSON.encode(input)
        } catch {
            pipeline.metrics.update(name) { $0.calls += 1; $0.errors += 1 }
            throw KMSError(code: .invalidRequest, message: "The \(name) request could not be encoded as JSON.", underlying: error)
        }
        let call = AWSCall(operation: name, request: makeRequest(name, body: body), isMutating: name.isMutating)
        return try await pipeline.send(call) { response in try Self.decode(Op.self, response) }
    }

    /// The unsigned request for an operation: `POST /` with the JSON 1.1 headers.
    func makeRequest(_ name: OperationName, body: Data) -> HTTPRequest {
        JSONProtocolRequest.make(endpoint: configuration.endpoint, target: "TrentService.\(name)", body: body)
    }

    private static func decode<Op: KMSOperation>(_ operation: Op.Type, _ response: HTTPResponse) throws -> Op.Output {
        do {
            return try KMSJSON.decode(Op.Output.self, from: response.body)
        } catch {
            // The body may hold key material (Decrypt), so it goes nowhere near the message.
            throw KMSError(
                code: .invalidResponse,
                message: "The \(Op.name) answer could not be read; check that the endpoint is a KMS endpoint.",
                httpStatus: response.status, requestID: AWSRequestPipeline.requestID(of: response),
                retryability: .clientError, underlying: error)
        }
    }
}
