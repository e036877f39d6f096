import Foundation

/// Reads CloudTrail management events with `LookupEvents` over the shared request pipeline.
///
/// JSON 1.1, SigV4 service `cloudtrail`, paced by the `RateLimiter` it is given (use one built
/// with `RateLimiter.cloudTrailQuotas`, shared by every lookup of the account and Region: the
/// quota is 2 requests per second), retried as KMS calls are.
public final class CloudTrailClient: Sendable {
    /// The SigV4 service name.
    public static let signingName = "cloudtrail"

    /// Where the client sends requests (endpoint from `AWSConfigResolver.endpoint(for: .cloudTrail, ...)`).
    public let configuration: KMSClientConfiguration
    /// The shared pacing, signing and retry loop.
    public let pipeline: AWSRequestPipeline

    /// Creates a client.
    /// - Parameters:
    ///   - configuration: Region, CloudTrail endpoint, retry mode and attempts, user agent.
    ///   - rateLimiter: pacing; `RateLimiter(clock:quotas: RateLimiter.cloudTrailQuotas)` for AWS's quota.
    ///   - observer: receives a `KMSCallEvent` (service `cloudtrail`) after every attempt.
    public init(
        configuration: KMSClientConfiguration, credentials: any CredentialProvider, transport: any HTTPTransport,
        rateLimiter: RateLimiter, clock: any Clock<Duration>, now: @escaping @Sendable () -> Date,
        random: RandomSource, observer: (@Sendable (KMSCallEvent) -> Void)? = nil
    ) {
        self.configuration = configuration
        self.pipeline = AWSRequestPipeline(
            signingName: Self.signingName, region: configuration.region, retryMode: configuration.resolvedRetryMode,
            maxAttempts: configuration.maxAttempts, userAgent: configuration.userAgent, credentials: credentials,
            transport: transport, rateLimiter: rateLimiter, clock: clock, now: now, random: random,
            errorDecoder: { response, operation in AWSErrorMapping.error(for: response, operation: operation) },
            observer: observer)
    }

    /// Per-operation counters of calls, attempts, throttles and errors.
    public var metrics: KMSClientMetrics { pipeline.metrics }

    /// Fetches one page of events.
    /// - Throws: `KMSError`: `kms.throttled` after retries, `kms.access-denied`, `kms.invalid-request`
    ///   (a bad attribute, time range or token), `kms.invalid-response` for an unreadable answer.
    public func lookupEvents(_ request: LookupEventsRequest) async throws -> KMSResponse<LookupEventsResponse> {
        let body: Data
        do {
            body = try KMSJSON.encode(request)
        } catch {
            throw KMSError(code: .invalidRequest, message: "The LookupEvents request could not be encoded as JSON.", underlying: error)
        }
        let http = JSONProtocolRequest.make(endpoint: configuration.endpoint, target: LookupEvents.target, body: body)
        let call = AWSCall(operation: LookupEvents.name, request: http, isMutating: false)
        return try await pipeline.send(call) { response in try Self.decode(response) }
    }

    /// The pages of a lookup, fetched as iterated; start from a saved `NextToken` to resume a sweep.
    /// - Parameters:
    ///   - request: the filters; its `nextToken` is ignored in favour of `resumingAt`.
    ///   - resumingAt: a `NextToken` a previous run saved; nil starts at the newest event.
    public func pages(_ request: LookupEventsRequest, resumingAt token: String? = nil) -> CloudTrailPageSequence {
        CloudTrailPageSequence(client: self, request: request, startToken: token)
    }

    private static func decode(_ response: HTTPResponse) throws -> LookupEventsResponse {
        do {
            return try KMSJSON.decode(LookupEventsResponse.self, from: response.body)
        } catch {
            throw KMSError(
                code: .invalidResponse,
                message: "The LookupEvents answer could not be read; check that the endpoint is a CloudTrail endpoint.",
                httpStatus: response.status, requestID: AWSRequestPipeline.requestID(of: response),
                retryability: .clientError, underlying: error)
        }
    }
}

extension CloudTrailClient {
    /// The configuration for CloudTrail beside a resolved KMS configuration: same Region and
    /// retries, endpoint by the one rule (`AWS_ENDPOINT_URL_CLOUDTRAIL` > `AWS_ENDPOINT_URL` > ...).
    /// - Returns: the configuration and the setting the endpoint came from, for `--verbose`.
    /// - Throws: `KMSError` with `config.invalid` for a malformed endpoint setting.
    public static func configuration(
        resolver: AWSConfigResolver, options: AWSOptions, resolved: ResolvedAWSConfiguration, userAgent: String
    ) throws -> (configuration: KMSClientConfiguration, endpointSource: String) {
        let (url, source) = try resolver.endpoint(for: .cloudTrail, options, region: resolved.region)
        let configuration = KMSClientConfiguration(
            region: resolved.region, endpoint: url, maxAttempts: resolved.maxAttempts,
            retryMode: resolved.retryMode.rawValue, userAgent: userAgent)
        return (configuration, source)
    }
}
