import Foundation
import KMSLocal
import Testing

@testable import KMSAPI

/// libcurl itself over real loopback HTTP: requests go out exactly as built, answers come back
/// whole, failures get `URLSessionTransport`'s codes, and cancellation stops a request in flight.
struct CurlTransportTests {
    private static let bundle = CABundle(path: "/nonexistent/ca.pem", setting: "AWS_CA_BUNDLE")

    private func makeTransport(connectTimeout: TimeInterval = 5, requestTimeout: TimeInterval = 30) throws -> CurlTransport {
        try CurlTransport(caBundle: Self.bundle, connectTimeout: connectTimeout, requestTimeout: requestTimeout)
    }

    private func url(_ server: LoopbackHTTPServer, _ path: String) throws -> URL {
        try #require(URL(string: server.baseURL + path))
    }

    @Test(arguments: ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH"])
    func sendsTheMethodHeadersAndBodyExactlyAsSet(method: String) async throws {
        try await withLoopbackServer(routes: ["\(method) /thing": CannedResponse(body: "{}")]) { server in
            let body = ["GET", "HEAD", "DELETE"].contains(method) ? Data() : Data(#"{"KeyId":"k-1"}"#.utf8)
            var headers = HTTPHeaders([("X-Amz-Target", "TrentService.DescribeKey"), ("Authorization", "AWS4-HMAC-SHA256 test")])
            if !body.isEmpty { headers.add("Content-Type", "application/x-amz-json-1.1") }
            let response = try await makeTransport().send(
                HTTPRequest(method: method, url: try url(server, "/thing?a=1"), headers: headers, body: body))
            #expect(response.status == 200)
            let received = try #require(server.requests.first)
            #expect(received.method == method)
            #expect(received.path == "/thing")
            #expect(received.body == body)
            #expect(received.headers["x-amz-target"] == "TrentService.DescribeKey")
            #expect(received.headers["authorization"] == "AWS4-HMAC-SHA256 test")
            #expect(received.headers["host"] == "127.0.0.1:\(server.port)")
            #expect(received.headers["content-type"] == (body.isEmpty ? nil : "application/x-amz-json-1.1"))
            #expect(received.headers["content-length"] == (body.isEmpty && method != "PUT" ? nil : "\(body.count)"))
            // Nothing of libcurl's own: no Accept, User-Agent, Expect or form Content-Type.
            #expect(received.headers["accept"] == nil)
            #expect(received.headers["user-agent"] == nil)
            #expect(received.headers["expect"] == nil)
        }
    }

    @Test func anEmptyPostStillSendsAZeroLengthBodyWithoutAContentType() async throws {
        try await withLoopbackServer(routes: ["POST /": CannedResponse(body: "{}")]) { server in
            _ = try await makeTransport().send(HTTPRequest(method: "POST", url: try url(server, "/")))
            let received = try #require(server.requests.first)
            #expect(received.headers["content-length"] == "0")
            #expect(received.headers["content-type"] == nil)
        }
    }

    @Test func returnsErrorStatusesAsAnswersWithTheirHeadersAndBody() async throws {
        let answer = #"{"__type":"NotFoundException","message":"no such key"}"#
        try await withLoopbackServer(routes: ["POST /": CannedResponse(status: 400, body: answer)]) { server in
            let response = try await makeTransport().send(HTTPRequest(method: "POST", url: try url(server, "/"), body: Data("{}".utf8)))
            #expect(response.status == 400)
            #expect(response.headers["content-type"] == "application/json")
            #expect(response.headers["Content-Length"] == "\(answer.utf8.count)")
            #expect(String(decoding: response.body, as: UTF8.self) == answer)
        }
    }

    @Test func carriesOneMebibyteEachWay() async throws {
        let big = String(repeating: "0123456789abcdef", count: 65_536)
        try await withLoopbackServer(routes: ["PUT /object": CannedResponse(body: big)]) { server in
            let sent = Data(String(big.reversed()).utf8)
            let response = try await makeTransport().send(HTTPRequest(method: "PUT", url: try url(server, "/object"), body: sent))
            #expect(response.body.count == 1_048_576)
            #expect(response.body == Data(big.utf8))
            let received = try #require(server.requests.first)
            #expect(received.body == sent)
            #expect(received.headers["expect"] == nil)
        }
    }

    @Test func answersConcurrentRequestsEachWithItsOwnBody() async throws {
        try await withLoopbackServer(routes: ["POST /": CannedResponse(body: "{}")]) { server in
            let transport = try makeTransport()
            let target = try url(server, "/")
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<32 {
                    group.addTask {
                        try await transport.send(HTTPRequest(method: "POST", url: target, body: Data("request-\(index)".utf8))).status
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses == Array(repeating: 200, count: 32))
            let bodies = Set(server.requests.map { String(decoding: $0.body, as: UTF8.self) })
            #expect(bodies == Set((0..<32).map { "request-\($0)" }))
        }
    }

    @Test func signsAndCallsKMSLocalThroughTheClient() async throws {
        var configuration = KMSLocalConfiguration()
        configuration.port = 0
        let server = KMSLocalServer(configuration: configuration, now: { Date() })
        try server.start()
        defer { server.stop() }
        let client = KMSClient(
            configuration: KMSClientConfiguration(region: "us-east-1", endpoint: server.endpoint, maxAttempts: 1),
            credentials: StaticCredentialProvider(Credentials(accessKeyID: KMSLocalConfiguration.defaultAccessKeyID, secretAccessKey: KMSLocalConfiguration.defaultSecretAccessKey)),
            transport: try makeTransport(), rateLimiter: .unlimited, clock: ContinuousClock(), now: { Date() }, random: .system())
        let keyID = try #require(try await client.createKey().keyMetadata?.keyID)
        #expect(try await client.describeKey(keyID).keyMetadata?.keyID == keyID)
    }

    // MARK: - Failures

    @Test func aClosedPortIsConnectionRefused() async throws {
        let port = try await CredentialTestSupport.closedLoopbackPort()
        let request = HTTPRequest(method: "POST", url: try #require(URL(string: "http://127.0.0.1:\(port)/")))
        let error = try await #require(throws: KMSError.self) { try await makeTransport().send(request) }
        #expect(error.code == .connectionRefused)
        #expect(error.message.contains("http://127.0.0.1:\(port)"))
        #expect(error.isRetryable)
    }

    @Test func aSilentServerTimesOutWithMillisecondPrecision() async throws {
        let server = try SilentLoopbackServer()
        let request = HTTPRequest(method: "POST", url: try #require(URL(string: server.baseURL + "/")))
        let result = await Result { try await makeTransport(requestTimeout: 0.2).send(request) }
        await server.stop()
        let error = try #require(throws: KMSError.self) { try result.get() }
        #expect(error.code == .timeout)
        #expect(error.mayHaveBeenApplied)
    }

    @Test(.timeLimit(.minutes(1)))
    func cancellingTheTaskStopsARequestInFlight() async throws {
        let server = try SilentLoopbackServer()
        let transport = try makeTransport(requestTimeout: 120)
        let request = HTTPRequest(method: "POST", url: try #require(URL(string: server.baseURL + "/")))
        let outcome = await withTaskGroup(of: (any Error)?.self) { group in
            group.addTask {
                do {
                    _ = try await transport.send(request)
                    return nil
                } catch {
                    return error
                }
            }
            await server.waitForConnection()
            group.cancelAll()
            return await group.next() ?? nil
        }
        await server.stop()
        #expect(outcome is CancellationError)
    }

    @Test func cancelledBeforeSendingConnectsNowhere() async throws {
        let server = try SilentLoopbackServer()
        let transport = try makeTransport()
        let request = HTTPRequest(method: "POST", url: try #require(URL(string: server.baseURL + "/")))
        let outcome = await withTaskGroup(of: (any Error)?.self) { group in
            group.cancelAll()
            group.addTask {
                do {
                    _ = try await transport.send(request)
                    return nil
                } catch {
                    return error
                }
            }
            return await group.next() ?? nil
        }
        await server.stop()
        #expect(outcome is CancellationError)
        #expect(server.connectionCount == 0)
    }
}

extension Result where Failure == any Error {
    /// Captures an async throwing call's outcome.
    init(catching body: () async throws -> Success) async {
        do {
            self = .success(try await body())
        } catch {
            self = .failure(error)
        }
    }
}
