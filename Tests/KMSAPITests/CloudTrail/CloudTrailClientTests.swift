import Foundation
import KMSAPI
import Testing

/// The CloudTrail client over a scripted transport: wire format, paging, retries and pacing.
struct CloudTrailClientTests {
    static let keyARN = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"

    static func makeClient(
        _ transport: ScriptedTransport, clock: any Clock<Duration> = RecordingClock(), rateLimiter: RateLimiter = .unlimited
    ) -> CloudTrailClient {
        let configuration = KMSClientConfiguration(
            region: "us-east-1", endpoint: URL(string: "https://cloudtrail.us-east-1.amazonaws.com")!,
            userAgent: "decommission-tests")
        return CloudTrailClient(
            configuration: configuration, credentials: StaticCredentialProvider(KMSClientFactory.credentials),
            transport: transport, rateLimiter: rateLimiter, clock: clock, now: { KMSClientFactory.signingDate },
            random: .seeded(1))
    }

    static func page(_ ids: [String], next: String?) -> HTTPResponse {
        let events = ids.map { #"{"EventId":"\#($0)","EventName":"Decrypt","EventTime":1700000000.5}"# }
        var body = #"{"Events":[\#(events.joined(separator: ","))]"#
        if let next { body += #","NextToken":"\#(next)""# }
        return ScriptedTransport.ok(body + "}")
    }

    static func tokens(_ transport: ScriptedTransport) throws -> [String?] {
        try transport.requests.map { try KMSJSON.decode(LookupEventsRequest.self, from: $0.body).nextToken }
    }

    @Test func sendsJSON11LookupSignedForCloudTrail() async throws {
        let transport = ScriptedTransport([.success(Self.page(["e1"], next: nil))])
        let client = Self.makeClient(transport)
        let request = LookupEventsRequest(
            lookupAttributes: [LookupAttribute(.resourceName, Self.keyARN)],
            startTime: Date(timeIntervalSince1970: 1_700_000_000), endTime: Date(timeIntervalSince1970: 1_700_086_400),
            maxResults: 50)
        let response = try await client.lookupEvents(request)
        #expect(response.output.events?.first?.eventID == "e1")
        #expect(response.output.events?.first?.eventTime == Date(timeIntervalSince1970: 1_700_000_000.5))
        let sent = try #require(transport.requests.first)
        #expect(sent.method == "POST")
        #expect(sent.url.absoluteString == "https://cloudtrail.us-east-1.amazonaws.com/")
        #expect(sent.headers["X-Amz-Target"] == "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents")
        #expect(sent.headers["Content-Type"] == "application/x-amz-json-1.1")
        let authorization = try #require(sent.headers["Authorization"])
        #expect(authorization.contains("/us-east-1/cloudtrail/aws4_request"))
        let body = String(decoding: sent.body, as: UTF8.self)
        #expect(body.contains(#""AttributeKey":"ResourceName""#))
        #expect(body.contains(#""StartTime":1700000000"#))
        #expect(body.contains(#""EndTime":1700086400"#))
        #expect(try KMSJSON.decode(LookupEventsRequest.self, from: sent.body) == request)
    }

    @Test func pagesFollowNextTokenUntilAPageHasNone() async throws {
        let transport = ScriptedTransport([
            .success(Self.page(["a", "b"], next: "t1")),
            .success(Self.page([], next: "t2")),
            .success(Self.page(["c"], next: nil)),
        ])
        let client = Self.makeClient(transport)
        var pages: [CloudTrailPage] = []
        for try await page in client.pages(LookupEventsRequest(maxResults: 2)) { pages.append(page) }
        #expect(pages.map { $0.events.compactMap(\.eventID) } == [["a", "b"], [], ["c"]])
        #expect(pages.map(\.nextToken) == ["t1", "t2", nil])
        #expect(try Self.tokens(transport) == [nil, "t1", "t2"])
    }

    @Test func pagesResumeFromASavedToken() async throws {
        let transport = ScriptedTransport([.success(Self.page(["c"], next: nil))])
        let client = Self.makeClient(transport)
        var count = 0
        for try await page in client.pages(LookupEventsRequest(nextToken: "ignored"), resumingAt: "saved") {
            count += page.events.count
        }
        #expect(count == 1)
        #expect(try Self.tokens(transport) == ["saved"])
    }

    @Test func aRepeatedTokenStopsPagingInsteadOfLooping() async throws {
        let transport = ScriptedTransport([.success(Self.page(["a"], next: "t1")), .success(Self.page(["b"], next: "t1"))])
        let client = Self.makeClient(transport)
        var iterator = client.pages(LookupEventsRequest()).makeAsyncIterator()
        _ = try await iterator.next()
        let error = await #expect(throws: KMSError.self) { _ = try await iterator.next() }
        #expect(error?.code == .invalidResponse)
        #expect(try await iterator.next() == nil)
    }

    @Test func throttlingIsRetriedAndCounted() async throws {
        let transport = ScriptedTransport([
            .success(ScriptedTransport.failure("ThrottlingException", message: "Rate exceeded")),
            .success(Self.page(["a"], next: nil)),
        ])
        let clock = RecordingClock()
        let client = Self.makeClient(transport, clock: clock)
        let response = try await client.lookupEvents(LookupEventsRequest())
        #expect(response.attempts == 2)
        #expect(client.metrics.snapshot()[LookupEvents.name]?.throttles == 1)
        #expect(clock.sleeps.count == 1)
    }

    @Test(arguments: ["InvalidNextTokenException", "InvalidTimeRangeException", "InvalidLookupAttributesException"])
    func badRequestErrorsAreNotRetried(type: String) async throws {
        let transport = ScriptedTransport([.success(ScriptedTransport.failure(type))])
        let client = Self.makeClient(transport)
        let error = await #expect(throws: KMSError.self) { _ = try await client.lookupEvents(LookupEventsRequest()) }
        #expect(error?.code == .invalidRequest)
        #expect(error?.awsErrorType == type)
        #expect(transport.requests.count == 1)
    }

    @Test func accessDeniedIsReportedAsSuch() async throws {
        let transport = ScriptedTransport([.success(ScriptedTransport.failure("AccessDeniedException"))])
        let error = await #expect(throws: KMSError.self) {
            _ = try await Self.makeClient(transport).lookupEvents(LookupEventsRequest())
        }
        #expect(error?.code == .accessDenied)
    }

    @Test func anUnreadableAnswerIsInvalidResponse() async throws {
        let transport = ScriptedTransport([.success(ScriptedTransport.ok(#"{"Events": "nope"}"#))])
        let error = await #expect(throws: KMSError.self) {
            _ = try await Self.makeClient(transport).lookupEvents(LookupEventsRequest())
        }
        #expect(error?.code == .invalidResponse)
    }

    @Test func theQuotaTablePacesLookupsAtUnderTwoPerSecond() async throws {
        let transport = ScriptedTransport { _, _ in Self.page([], next: nil) }
        let clock = RecordingClock()
        let limiter = RateLimiter(clock: clock, quotas: RateLimiter.cloudTrailQuotas)
        #expect(RateLimiter.cloudTrailQuotas[LookupEvents.name] == 2)
        let client = Self.makeClient(transport, clock: clock, rateLimiter: limiter)
        for _ in 0..<11 { _ = try await client.lookupEvents(LookupEventsRequest()) }
        // 11 lookups at 2 × 0.95 per second: 10 intervals of 1/1.9 s.
        let seconds = Double(clock.elapsed.components.seconds) + Double(clock.elapsed.components.attoseconds) / 1e18
        #expect(abs(seconds - 10 / 1.9) < 0.01)
    }
}

/// Where the CloudTrail client sends requests: the shared endpoint rule, not `--endpoint-url`.
struct CloudTrailClientConfigurationTests {
    func configuration(_ environment: [String: String], endpointURL: String? = nil) throws -> (KMSClientConfiguration, String) {
        let files = try CredentialTestSupport.files(config: "[default]\nregion = eu-west-1\nmax_attempts = 4\n", credentials: "")
        let resolver = AWSConfigResolver(environment: environment, files: files)
        let options = AWSOptions(region: nil, profile: nil, endpointURL: endpointURL)
        let resolved = try resolver.resolve(options)
        let result = try CloudTrailClient.configuration(resolver: resolver, options: options, resolved: resolved, userAgent: "t")
        return (result.configuration, result.endpointSource)
    }

    @Test func defaultsToTheRegionalHostWithTheKMSRetrySettings() throws {
        let (configuration, source) = try configuration([:], endpointURL: "http://127.0.0.1:4599")
        #expect(configuration.endpoint.absoluteString == "https://cloudtrail.eu-west-1.amazonaws.com")
        #expect(source == "default")
        #expect(configuration.region == "eu-west-1")
        #expect(configuration.maxAttempts == 4)
    }

    @Test func theCloudTrailVariableOutranksTheGlobalOne() throws {
        let (configuration, source) = try configuration(
            ["AWS_ENDPOINT_URL_CLOUDTRAIL": "http://127.0.0.1:1", "AWS_ENDPOINT_URL": "http://127.0.0.1:2",
             "AWS_ENDPOINT_URL_KMS": "http://127.0.0.1:3"])
        #expect(configuration.endpoint.absoluteString == "http://127.0.0.1:1")
        #expect(source == "AWS_ENDPOINT_URL_CLOUDTRAIL")
        let (global, _) = try self.configuration(["AWS_ENDPOINT_URL": "http://127.0.0.1:2"])
        #expect(global.endpoint.absoluteString == "http://127.0.0.1:2")
    }
}
