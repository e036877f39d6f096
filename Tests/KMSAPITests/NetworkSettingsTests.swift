import Foundation
import Testing

@testable import KMSAPI

#if canImport(Glibc)
    import Glibc
#endif

/// What the real transport (FoundationNetworking over libcurl) honours: proxy variables, checked
/// with the built `decommission` binary and a loopback proxy (libcurl reads the process
/// environment), and TLS failures against a loopback HTTPS server with a throwaway CA.
struct NetworkSettingsTests {
    private static let answer = #"{"CustomKeyStores":[]}"#
    private static let baseEnvironment = [
        "PATH": "/usr/bin:/bin", "AWS_ACCESS_KEY_ID": "AKIDPROXY", "AWS_SECRET_ACCESS_KEY": "proxy-secret",
        "AWS_REGION": "us-east-1", "AWS_CONFIG_FILE": "/nonexistent", "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent",
        "AWS_EC2_METADATA_DISABLED": "true", "AWS_MAX_ATTEMPTS": "1",
    ]

    /// Runs the built CLI with extra environment; returns its status and stderr.
    private func runCLI(_ arguments: [String], environment: [String: String]) throws -> (status: Int32, stderr: String) {
        let binary = Bundle.module.bundleURL.deletingLastPathComponent().appendingPathComponent("decommission")
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "build the product first: swift build")
        let errors = FileManager.default.temporaryDirectory.appendingPathComponent("proxy-\(UUID().uuidString)")
        try #require(FileManager.default.createFile(atPath: errors.path, contents: nil))
        defer { try? FileManager.default.removeItem(at: errors) }
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.environment = Self.baseEnvironment.merging(environment) { $1 }
        let handle = try FileHandle(forWritingTo: errors)
        process.standardError = handle
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try handle.close()
        return (process.terminationStatus, String(decoding: try Data(contentsOf: errors), as: UTF8.self))
    }

    @Test func lowercaseHTTPProxyIsUsedAndNoProxyBypassesIt() async throws {
        let routes = ["POST http://kms.example.invalid/": CannedResponse(body: Self.answer)]
        try await withLoopbackServer(routes: routes) { proxy in
            let proxied = try runCLI(
                ["list-key-stores", "--endpoint-url", "http://kms.example.invalid"], environment: ["http_proxy": proxy.baseURL])
            #expect(proxied.status == 0, "\(proxied.stderr)")
            #expect(proxy.requests.map(\.path) == ["http://kms.example.invalid/"])
            #expect(proxy.requests.first?.headers["authorization"]?.contains("Credential=AKIDPROXY/") == true)

            let bypassed = try runCLI(
                ["list-key-stores", "--endpoint-url", "http://kms.example.invalid"],
                environment: ["http_proxy": proxy.baseURL, "NO_PROXY": "example.invalid"])
            #expect(bypassed.status != 0)
            #expect(proxy.requests.count == 1)
        }
    }

    @Test(arguments: ["HTTPS_PROXY", "https_proxy"])
    func httpsProxyTunnelsThroughConnect(variable: String) async throws {
        try await withLoopbackServer(routes: [:]) { proxy in
            let result = try runCLI(["list-key-stores", "--endpoint-url", "https://kms.example.invalid"], environment: [variable: proxy.baseURL])
            #expect(result.status != 0)
            #expect(proxy.requests.map(\.method) == ["CONNECT"])
            #expect(proxy.requests.first?.path == "kms.example.invalid:443")
            #expect(!result.stderr.contains("proxy-secret"))
        }
    }

    // MARK: - TLS

    private func run(_ tool: String, _ arguments: [String], in directory: URL) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/\(tool)")
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "\(tool) \(arguments.joined(separator: " "))")
    }

    /// Makes a throwaway CA and a 127.0.0.1 server certificate it signed.
    private func makeCertificates(in directory: URL) throws {
        try run("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "1", "-subj", "/CN=decommission test CA"], in: directory)
        try run("openssl", ["req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1"], in: directory)
        try Data("subjectAltName=IP:127.0.0.1\n".utf8).write(to: directory.appendingPathComponent("ext.cnf"))
        try run("openssl", ["x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.pem", "-days", "1", "-extfile", "ext.cnf"], in: directory)
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl")))
    func untrustedCertificateIsATLSErrorNamingEndpointAndSetting() async throws {
        try await CredentialTestSupport.withTemporaryDirectory { directory in
            try makeCertificates(in: directory)
            let port = try await CredentialTestSupport.closedLoopbackPort()
            let server = Process()
            server.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
            server.arguments = ["s_server", "-accept", "127.0.0.1:\(port)", "-cert", "server.pem", "-key", "server.key", "-www"]
            server.currentDirectoryURL = directory
            let output = Pipe()
            server.standardOutput = output
            server.standardError = FileHandle.nullDevice
            try server.run()
            // Started off the main thread, the child ignores SIGTERM: end it with SIGKILL.
            defer {
                kill(server.processIdentifier, SIGKILL)
                server.waitUntilExit()
            }
            // s_server prints ACCEPT once it listens.
            var seen = Data()
            while !String(decoding: seen, as: UTF8.self).contains("ACCEPT") {
                let chunk = output.fileHandleForReading.availableData
                try #require(!chunk.isEmpty, "openssl s_server exited")
                seen.append(chunk)
            }
            let transport = URLSessionTransport(connectTimeout: 5, requestTimeout: 10)
            let request = HTTPRequest(method: "GET", url: try #require(URL(string: "https://127.0.0.1:\(port)/")))
            let error = try #require(await #expect(throws: KMSError.self) { try await transport.send(request) })
            #expect(error.code == .tlsFailed)
            #expect(error.message.contains("https://127.0.0.1:\(port)"))
            #expect(error.message.contains("AWS_CA_BUNDLE"))
        }
    }
}
