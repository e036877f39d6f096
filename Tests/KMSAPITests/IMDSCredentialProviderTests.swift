import Foundation
import Testing

@testable import KMSAPI

/// Runs the provider against a real HTTP server on 127.0.0.1 standing in for 169.254.169.254.
struct IMDSCredentialProviderTests {
    private static let rolePath = "/latest/meta-data/iam/security-credentials/"
    private static let credentialsBody =
        #"{"Code":"Success","Type":"AWS-HMAC","AccessKeyId":"AKIDIMDS","SecretAccessKey":"imds-secret","Token":"imds-token","Expiration":"2030-06-01T12:00:00Z"}"#

    private static let happyRoutes: [String: CannedResponse] = [
        "PUT /latest/api/token": CannedResponse(body: "session-token-123"),
        "GET \(rolePath)": CannedResponse(body: "my-role\nother-role\n"),
        "GET \(rolePath)my-role": CannedResponse(body: credentialsBody),
    ]

    private func provider(_ server: LoopbackHTTPServer, extra: [String: String] = [:]) -> IMDSCredentialProvider {
        IMDSCredentialProvider(
            environment: ["AWS_EC2_METADATA_SERVICE_ENDPOINT": server.baseURL].merging(extra) { _, new in new },
            transport: URLSessionTransport(connectTimeout: 1, requestTimeout: 5))
    }

    @Test func sendsTokenPutFirstThenTokenHeaderOnEveryGet() async throws {
        try await withLoopbackServer(routes: Self.happyRoutes) { server in
            let credentials = try await provider(server).credentials()
            #expect(credentials.accessKeyID == "AKIDIMDS")
            #expect(credentials.sessionToken == "imds-token")
            #expect(credentials.source == "instance role my-role")
            let requests = server.requests
            #expect(requests.map { "\($0.method) \($0.path)" } == [
                "PUT /latest/api/token", "GET \(Self.rolePath)", "GET \(Self.rolePath)my-role",
            ])
            #expect(requests.first?.headers["x-aws-ec2-metadata-token-ttl-seconds"] == "21600")
            #expect(requests.first?.headers["x-aws-ec2-metadata-token"] == nil)
            #expect(requests.dropFirst().allSatisfy { $0.headers["x-aws-ec2-metadata-token"] == "session-token-123" })
        }
    }

    @Test(arguments: [403, 404, 405])
    func failingTokenPutNeverFallsBackToIMDSv1(status: Int) async throws {
        var routes = Self.happyRoutes
        routes["PUT /latest/api/token"] = CannedResponse(status: status)
        try await withLoopbackServer(routes: routes) { server in
            let error = try #require(await #expect(throws: KMSError.self) { try await provider(server).credentialsIfConfigured() })
            #expect(error.code == .credentialsFailed)
            #expect(error.message.contains("IMDSv2"))
            #expect(error.message.contains("IMDSv1 is never used"))
            // Nothing but the PUT was sent: no un-tokened GET.
            #expect(server.requests.map(\.method) == ["PUT"])
        }
    }

    @Test func unreachableIMDSIsNotConfiguredInAChainButAnErrorAlone() async throws {
        let port = try await CredentialTestSupport.closedLoopbackPort()
        let imds = IMDSCredentialProvider(
            environment: ["AWS_EC2_METADATA_SERVICE_ENDPOINT": "http://127.0.0.1:\(port)"],
            transport: URLSessionTransport(connectTimeout: 1, requestTimeout: 2))
        #expect(try await imds.credentialsIfConfigured() == nil)
        let error = try #require(await #expect(throws: KMSError.self) { try await imds.credentials() })
        #expect(error.message.contains("IMDSv2 session token request"))
    }

    @Test func disabledProviderSendsNothing() async throws {
        try await withLoopbackServer(routes: Self.happyRoutes) { server in
            let credentials = try await provider(server, extra: ["AWS_EC2_METADATA_DISABLED": "TRUE"]).credentialsIfConfigured()
            #expect(credentials == nil)
            #expect(server.requests.isEmpty)
        }
    }

    @Test func noRoleAttachedIsNotConfigured() async throws {
        try await withLoopbackServer(routes: ["PUT /latest/api/token": CannedResponse(body: "t")]) { server in
            let credentials = try await provider(server).credentialsIfConfigured()
            #expect(credentials == nil)
        }
    }

    @Test func failedRoleAnswerIsAnErrorWithoutSecrets() async throws {
        var routes = Self.happyRoutes
        routes["GET \(Self.rolePath)my-role"] = CannedResponse(body: #"{"Code":"AssumeRoleUnauthorizedAccess","SecretAccessKey":"imds-secret"}"#)
        try await withLoopbackServer(routes: routes) { server in
            let error = try #require(await #expect(throws: KMSError.self) { try await provider(server).credentials() })
            #expect(error.message.contains("AssumeRoleUnauthorizedAccess"))
            #expect(!error.message.contains("imds-secret"))
        }
    }
}
