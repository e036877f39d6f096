import Foundation
import KMSAPI
import KMSLocal
import Testing

/// The embedded server over real loopback HTTP, signed with SigV4Signer.
struct KMSLocalServerTests {
    static let credentials = Credentials(accessKeyID: "AKIDKMSLOCAL", secretAccessKey: "kms-local-secret")

    static func withServer(seedKeys: Int = 3, _ body: (KMSLocalServer, URLSessionTransport) async throws -> Void) async throws {
        var configuration = KMSLocalConfiguration()
        configuration.port = 0
        configuration.seedData = try SeedFile.makeEncoder().encode(SeedFile(generatedKeys: seedKeys))
        let server = KMSLocalServer(configuration: configuration, now: { Date() })
        try server.start()
        defer { server.stop() }
        try await body(server, URLSessionTransport())
    }

    static func signed(_ server: KMSLocalServer, _ operation: String, _ body: String, credentials: Credentials = credentials) -> HTTPRequest {
        let request = HTTPRequest(
            method: "POST", url: server.endpoint,
            headers: HTTPHeaders([("Content-Type", "application/x-amz-json-1.1"), ("X-Amz-Target", "TrentService.\(operation)")]),
            body: Data(body.utf8))
        return SigV4Signer(service: "kms", region: "us-east-1").sign(request, credentials: credentials, date: Date())
    }

    static func errorType(_ response: HTTPResponse) -> String? {
        AWSErrorMapping.errorType(headers: response.headers, body: response.body)
    }

    @Test func signedDescribeKeyAnswers() async throws {
        try await Self.withServer { server, transport in
            let id = "00000000-0000-4000-8000-000000000001"
            let response = try await transport.send(Self.signed(server, "DescribeKey", #"{"KeyId":"\#(id)"}"#))
            #expect(response.status == 200)
            #expect(response.headers["Content-Type"] == "application/x-amz-json-1.1")
            #expect(response.headers["x-amzn-RequestId"] != nil)
            let decoded = try KMSJSON.decode(KeyMetadataResponse.self, from: response.body)
            #expect(decoded.keyMetadata?.keyID == id)
        }
    }

    @Test func wrongSecretIsInvalidSignature() async throws {
        try await Self.withServer { server, transport in
            let wrong = Credentials(accessKeyID: "AKIDKMSLOCAL", secretAccessKey: "wrong")
            let response = try await transport.send(Self.signed(server, "ListKeys", "{}", credentials: wrong))
            #expect(response.status == 400)
            #expect(Self.errorType(response) == "InvalidSignatureException")
        }
    }

    @Test func unknownAccessKeyIsUnrecognizedClient() async throws {
        try await Self.withServer { server, transport in
            let unknown = Credentials(accessKeyID: "AKIDUNKNOWN", secretAccessKey: "x")
            let response = try await transport.send(Self.signed(server, "ListKeys", "{}", credentials: unknown))
            #expect(Self.errorType(response) == "UnrecognizedClientException")
        }
    }

    @Test func unsignedRequestIsMissingAuthentication() async throws {
        try await Self.withServer { server, transport in
            let request = HTTPRequest(
                method: "POST", url: server.endpoint, headers: HTTPHeaders([("X-Amz-Target", "TrentService.ListKeys")]), body: Data("{}".utf8))
            let response = try await transport.send(request)
            #expect(Self.errorType(response) == "MissingAuthenticationTokenException")
        }
    }

    @Test func enableKeyAnswersAnEmptyBodyAndUnknownTargetsAreRejected() async throws {
        try await Self.withServer { server, transport in
            let enable = try await transport.send(Self.signed(server, "EnableKey", #"{"KeyId":"00000000-0000-4000-8000-000000000000"}"#))
            #expect(enable.status == 200)
            #expect(enable.body.isEmpty)
            let unknown = try await transport.send(Self.signed(server, "Frobnicate", "{}"))
            #expect(Self.errorType(unknown) == "UnknownOperationException")
            let garbage = try await transport.send(Self.signed(server, "ListKeys", "{not json"))
            #expect(Self.errorType(garbage) == "SerializationException")
        }
    }

    @Test func oversizedBodyGets413AndGarbageGets400WhileServingContinues() async throws {
        try await Self.withServer { server, transport in
            let port = try #require(server.endpoint.port)
            #expect(try RawSocket.exchange(port: port, Array("GARBAGE\r\n\r\n".utf8)).hasPrefix("HTTP/1.1 400"))
            let big = "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: \(2 << 20)\r\n\r\n"
            #expect(try RawSocket.exchange(port: port, Array(big.utf8)).hasPrefix("HTTP/1.1 413"))
            let health = try await transport.send(HTTPRequest(method: "GET", url: server.endpoint.appendingPathComponent("_kms_local/health")))
            #expect(health.body == Data(#"{"status":"ok"}"#.utf8))
        }
    }

    @Test func callLogListsCallsWithoutSecrets() async throws {
        try await Self.withServer { server, transport in
            _ = try await transport.send(Self.signed(server, "DescribeKey", #"{"KeyId":"00000000-0000-4000-8000-000000000002"}"#))
            _ = try await transport.send(Self.signed(server, "DescribeKey", #"{"KeyId":"missing"}"#))
            let url = try #require(URL(string: server.endpoint.absoluteString + "/_kms_local/calls?since=0"))
            let response = try await transport.send(HTTPRequest(method: "GET", url: url))
            let text = String(decoding: response.body, as: UTF8.self)
            #expect(text.contains(#""operation":"DescribeKey""#))
            #expect(text.contains(#""target":"00000000-0000-4000-8000-000000000002""#))
            #expect(text.contains(#""errorType":"NotFoundException""#))
            #expect(!text.contains("kms-local-secret"))
            let later = try #require(URL(string: server.endpoint.absoluteString + "/_kms_local/calls?since=1"))
            let tail = String(decoding: try await transport.send(HTTPRequest(method: "GET", url: later)).body, as: UTF8.self)
            #expect(!tail.contains(#""seq":1,"#))
        }
    }
}
