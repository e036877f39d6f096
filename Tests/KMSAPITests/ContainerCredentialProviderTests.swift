import Foundation
import Testing

@testable import KMSAPI

/// Runs the provider against a real HTTP server on 127.0.0.1.
struct ContainerCredentialProviderTests {
    private static let body = #"{"AccessKeyId":"AKIDCONTAINER","SecretAccessKey":"container-secret","Token":"container-token","Expiration":"2030-01-01T00:00:00Z"}"#

    private func provider(_ environment: [String: String], files: [String: String] = [:]) -> ContainerCredentialProvider {
        ContainerCredentialProvider(
            environment: environment, transport: URLSessionTransport(connectTimeout: 1, requestTimeout: 5),
            readFile: CredentialTestSupport.reader(files))
    }

    @Test func fetchesFromFullURIWithTokenFromEnvironment() async throws {
        try await withLoopbackServer(routes: ["GET /creds": CannedResponse(body: Self.body)]) { server in
            let credentials = try await provider([
                "AWS_CONTAINER_CREDENTIALS_FULL_URI": "\(server.baseURL)/creds", "AWS_CONTAINER_AUTHORIZATION_TOKEN": "Bearer env-token",
            ]).credentials()
            #expect(credentials.accessKeyID == "AKIDCONTAINER")
            #expect(credentials.sessionToken == "container-token")
            #expect(credentials.expiration == Date(timeIntervalSince1970: 1_893_456_000))
            let request = try #require(server.requests.first)
            #expect(request.method == "GET")
            #expect(request.headers["authorization"] == "Bearer env-token")
        }
    }

    @Test func tokenFileWinsOverTokenVariable() async throws {
        try await withLoopbackServer(routes: ["GET /creds": CannedResponse(body: Self.body)]) { server in
            _ = try await provider(
                [
                    "AWS_CONTAINER_CREDENTIALS_FULL_URI": "\(server.baseURL)/creds",
                    "AWS_CONTAINER_AUTHORIZATION_TOKEN": "from-env", "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": "/var/run/token",
                ], files: ["/var/run/token": "from-file\n"]
            ).credentials()
            #expect(server.requests.first?.headers["authorization"] == "from-file")
        }
    }

    @Test func httpErrorIsAFailureWithoutTheBody() async throws {
        try await withLoopbackServer(routes: ["GET /creds": CannedResponse(status: 500, body: "secret-ish body")]) { server in
            let error = try #require(await #expect(throws: KMSError.self) {
                try await provider(["AWS_CONTAINER_CREDENTIALS_FULL_URI": "\(server.baseURL)/creds"]).credentials()
            })
            #expect(error.code == .credentialsFailed)
            #expect(error.message.contains("HTTP 500"))
            #expect(!error.message.contains("secret-ish"))
        }
    }

    @Test func unreachableConfiguredEndpointIsAFailure() async throws {
        let port = try await CredentialTestSupport.closedLoopbackPort()
        let error = try #require(await #expect(throws: KMSError.self) {
            try await provider(["AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://127.0.0.1:\(port)/creds"]).credentialsIfConfigured()
        })
        #expect(error.code == .credentialsFailed)
    }

    @Test func relativeURIUsesTheECSHostAndWins() throws {
        let (url, variable) = try #require(try provider([
            "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/credentials/abc", "AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://127.0.0.1/x",
        ]).endpoint())
        #expect(url.absoluteString == "http://169.254.170.2/v2/credentials/abc")
        #expect(variable == "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")
    }

    @Test(arguments: [
        "https://creds.example.com/x", "http://127.0.0.1:8080/x", "http://127.1.2.3/x", "http://localhost/x", "http://[::1]:9/x",
        "http://169.254.170.2/x", "http://169.254.170.23/v1/credentials", "http://[fd00:ec2::23]/x",
    ])
    func allowsHTTPSAndLocalHTTPHosts(uri: String) throws {
        #expect(try provider(["AWS_CONTAINER_CREDENTIALS_FULL_URI": uri]).endpoint() != nil)
    }

    @Test(arguments: ["http://example.com/x", "http://10.0.0.1/x", "http://128.0.0.1/x", "ftp://127.0.0.1/x", "not a url"])
    func rejectsOtherFullURIs(uri: String) async throws {
        let error = try #require(await #expect(throws: KMSError.self) {
            try await provider(["AWS_CONTAINER_CREDENTIALS_FULL_URI": uri]).credentialsIfConfigured()
        })
        #expect(error.code == .credentialsFailed)
        #expect(error.message.contains("AWS_CONTAINER_CREDENTIALS_FULL_URI"))
    }

    @Test func notConfiguredWithoutEitherVariable() async throws {
        #expect(try await provider([:]).credentialsIfConfigured() == nil)
    }
}
