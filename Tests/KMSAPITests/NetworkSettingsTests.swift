import Foundation
import KMSLocal
import Testing

@testable import KMSAPI

#if canImport(Glibc)
    import Glibc
#endif

/// What the real transports honour, checked with the built `decommission` binary (libcurl reads
/// the process environment): proxy variables with a loopback proxy, and a custom CA bundle
/// against kms-local behind a loopback TLS front, both as an HTTPS endpoint and as a
/// TLS-inspecting proxy, with certificates from a throwaway CA made by `openssl`.
struct NetworkSettingsTests {
    private static let answer = #"{"CustomKeyStores":[]}"#
    private static let baseEnvironment = [
        "PATH": "/usr/bin:/bin", "AWS_ACCESS_KEY_ID": "AKIDPROXY", "AWS_SECRET_ACCESS_KEY": "proxy-secret",
        "AWS_REGION": "us-east-1", "AWS_CONFIG_FILE": "/nonexistent", "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent",
        "AWS_EC2_METADATA_DISABLED": "true", "AWS_MAX_ATTEMPTS": "1",
    ]

    /// Runs the built CLI with extra environment; returns its status, stdout and stderr.
    private func runCLI(_ arguments: [String], environment: [String: String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let binary = Bundle.module.bundleURL.deletingLastPathComponent().appendingPathComponent("decommission")
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "build the product first: swift build")
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("network-\(UUID().uuidString)")
        let (output, errors) = (base.appendingPathExtension("out"), base.appendingPathExtension("err"))
        try #require(FileManager.default.createFile(atPath: output.path, contents: nil))
        try #require(FileManager.default.createFile(atPath: errors.path, contents: nil))
        defer {
            try? FileManager.default.removeItem(at: output)
            try? FileManager.default.removeItem(at: errors)
        }
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.environment = Self.baseEnvironment.merging(environment) { $1 }
        let (outputHandle, errorHandle) = (try FileHandle(forWritingTo: output), try FileHandle(forWritingTo: errors))
        process.standardOutput = outputHandle
        process.standardError = errorHandle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try outputHandle.close()
        try errorHandle.close()
        let text = { (url: URL) in String(decoding: try Data(contentsOf: url), as: UTF8.self) }
        return (process.terminationStatus, try text(output), try text(errors))
    }

    /// The environment that selects each transport: none for URLSession, a CA bundle for libcurl's own.
    private func withTransportEnvironment(_ transport: String, _ body: ([String: String]) async throws -> Void) async throws {
        guard transport == "curl" else { return try await body([:]) }
        try await CredentialTestSupport.withTemporaryDirectory { directory in
            let bundle = directory.appendingPathComponent("ca.pem")
            try Data("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n".utf8).write(to: bundle)
            try await body(["AWS_CA_BUNDLE": bundle.path])
        }
    }

    @Test(arguments: ["URLSession", "curl"])
    func lowercaseHTTPProxyIsUsedAndNoProxyBypassesIt(transport: String) async throws {
        let routes = ["POST http://kms.example.invalid/": CannedResponse(body: Self.answer)]
        try await withTransportEnvironment(transport) { selected in
            try await withLoopbackServer(routes: routes) { proxy in
                let proxied = try runCLI(
                    ["list-key-stores", "--endpoint-url", "http://kms.example.invalid"],
                    environment: selected.merging(["http_proxy": proxy.baseURL]) { $1 })
                #expect(proxied.status == 0, "\(proxied.stderr)")
                #expect(proxy.requests.map(\.path) == ["http://kms.example.invalid/"])
                #expect(proxy.requests.first?.headers["authorization"]?.contains("Credential=AKIDPROXY/") == true)

                let bypassed = try runCLI(
                    ["list-key-stores", "--endpoint-url", "http://kms.example.invalid"],
                    environment: selected.merging(["http_proxy": proxy.baseURL, "NO_PROXY": "example.invalid"]) { $1 })
                #expect(bypassed.status != 0)
                #expect(proxy.requests.count == 1)
            }
        }
    }

    @Test(arguments: ["HTTPS_PROXY", "https_proxy"], ["URLSession", "curl"])
    func httpsProxyTunnelsThroughConnect(variable: String, transport: String) async throws {
        try await withTransportEnvironment(transport) { selected in
            try await withLoopbackServer(routes: [:]) { proxy in
                let result = try runCLI(
                    ["list-key-stores", "--endpoint-url", "https://kms.example.invalid"],
                    environment: selected.merging([variable: proxy.baseURL]) { $1 })
                #expect(result.status != 0)
                #expect(proxy.requests.map(\.method) == ["CONNECT"])
                #expect(proxy.requests.first?.path == "kms.example.invalid:443")
                #expect(!result.stderr.contains("proxy-secret"))
                // Both transports: the proxy's refusal is named, and it is not a lost connection.
                #expect(result.stderr.contains("CONNECT tunnel failed, response 404"))
                #expect(result.stderr.hasSuffix("(kms.transport-failed)\n"))
            }
        }
    }

    // MARK: - TLS

    private static let hasTLSTools = ["/usr/bin/openssl", "/usr/bin/python3"].allSatisfy { FileManager.default.isExecutableFile(atPath: $0) }

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

    /// Makes a throwaway CA (`ca.pem`), a server certificate it signed for 127.0.0.1 and
    /// kms.example.invalid (`server.pem`, `server.key`), and an unrelated CA (`other-ca.pem`).
    private func makeCertificates(in directory: URL) throws {
        for name in ["ca", "other-ca"] {
            try run("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "\(name).key", "-out", "\(name).pem", "-days", "1", "-subj", "/CN=decommission test \(name)"], in: directory)
        }
        try run("openssl", ["req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1"], in: directory)
        try Data("subjectAltName=IP:127.0.0.1,DNS:kms.example.invalid\n".utf8).write(to: directory.appendingPathComponent("ext.cnf"))
        try run("openssl", ["x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.pem", "-days", "1", "-extfile", "ext.cnf"], in: directory)
    }

    /// Starts a helper process and reads its stdout until `marker` appears; the caller must SIGKILL it
    /// (started off the main thread, it ignores SIGTERM).
    private func startHelper(_ tool: String, _ arguments: [String], in directory: URL, until marker: String) throws -> (Process, FileHandle, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/\(tool)")
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let seen = try readOutput(output.fileHandleForReading, until: marker)
        return (process, output.fileHandleForReading, seen)
    }

    private func readOutput(_ handle: FileHandle, until marker: String) throws -> String {
        var seen = Data()
        while !String(decoding: seen, as: UTF8.self).contains(marker) {
            let chunk = handle.availableData
            try #require(!chunk.isEmpty, "the helper exited before printing \(marker)")
            seen.append(chunk)
        }
        return String(decoding: seen, as: UTF8.self)
    }

    private func stop(_ process: Process) {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// Runs `body` with kms-local (accepting the test's keys) behind `tls-front.py`, which answers TLS
    /// directly and as a TLS-inspecting proxy; passes the front's port, the certificate folder and its output.
    private func withTLSFront(_ body: (UInt16, URL, FileHandle) async throws -> Void) async throws {
        let script = try #require(Bundle.module.url(forResource: "tls-front", withExtension: "py", subdirectory: "Fixtures"))
        var configuration = KMSLocalConfiguration()
        configuration.port = 0
        configuration.credentials = ["AKIDPROXY": "proxy-secret"]
        let kms = KMSLocalServer(configuration: configuration, now: { Date() })
        try kms.start()
        defer { kms.stop() }
        let upstream = try #require(kms.endpoint.port)
        try await CredentialTestSupport.withTemporaryDirectory { directory in
            try makeCertificates(in: directory)
            let (front, output, ready) = try startHelper(
                "python3", [script.path, "server.pem", "server.key", "\(upstream)"], in: directory, until: "\n")
            defer { stop(front) }
            let port = try #require(ready.split(separator: " ").last.flatMap { UInt16($0.trimmingCharacters(in: .whitespacesAndNewlines)) })
            try await body(port, directory, output)
        }
    }

    @Test(.enabled(if: hasTLSTools))
    func aThrowawayCAIsTrustedThroughAWSCABundleOrTheProfileAndOnlyThen() async throws {
        try await withTLSFront { port, directory, _ in
            let endpoint = "https://127.0.0.1:\(port)"
            let arguments = ["list-key-stores", "--endpoint-url", endpoint]
            let untrusted = try runCLI(arguments, environment: [:])
            #expect(untrusted.status == 1)
            #expect(untrusted.stderr.contains("TLS with \(endpoint) failed"))
            #expect(untrusted.stderr.contains("AWS_CA_BUNDLE"))
            #expect(untrusted.stderr.contains("(kms.tls-failed)"))

            let ca = directory.appendingPathComponent("ca.pem").path
            let trusted = try runCLI(arguments + ["--output", "json"], environment: ["AWS_CA_BUNDLE": ca])
            #expect(trusted.status == 0, "\(trusted.stderr)")
            #expect(trusted.stdout == #"{"customKeyStores":[]}"# + "\n")

            let config = directory.appendingPathComponent("config")
            try Data("[default]\nca_bundle = \(ca)\n".utf8).write(to: config)
            let fromProfile = try runCLI(arguments, environment: ["AWS_CONFIG_FILE": config.path])
            #expect(fromProfile.status == 0, "\(fromProfile.stderr)")

            // A bundle replaces the trust store: a bundle without the signing CA fails, naming it.
            let other = directory.appendingPathComponent("other-ca.pem").path
            let wrong = try runCLI(arguments, environment: ["AWS_CA_BUNDLE": other])
            #expect(wrong.status == 1)
            #expect(wrong.stderr.contains("TLS with \(endpoint) failed"))
            #expect(wrong.stderr.contains("AWS_CA_BUNDLE ('\(other)')"))
            #expect(wrong.stderr.hasSuffix("(kms.tls-failed)\n"))
        }
    }

    @Test(.enabled(if: hasTLSTools))
    func aTLSInspectingProxyIsTrustedThroughTheBundle() async throws {
        try await withTLSFront { port, directory, output in
            let arguments = ["list-key-stores", "--endpoint-url", "https://kms.example.invalid"]
            let proxy = ["HTTPS_PROXY": "http://127.0.0.1:\(port)"]
            let untrusted = try runCLI(arguments, environment: proxy)
            #expect(untrusted.stderr.contains("TLS with https://kms.example.invalid failed"))
            #expect(untrusted.stderr.hasSuffix("(kms.tls-failed)\n"))

            let ca = directory.appendingPathComponent("ca.pem").path
            let trusted = try runCLI(arguments + ["--output", "json"], environment: proxy.merging(["AWS_CA_BUNDLE": ca]) { $1 })
            #expect(trusted.status == 0, "\(trusted.stderr)")
            #expect(trusted.stdout == #"{"customKeyStores":[]}"# + "\n")
            if trusted.status == 0 {
                #expect(try readOutput(output, until: "CONNECT kms.example.invalid:443").contains("CONNECT kms.example.invalid:443"))
            }
        }
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl")))
    func untrustedCertificateIsATLSErrorNamingEndpointAndSetting() async throws {
        try await CredentialTestSupport.withTemporaryDirectory { directory in
            try makeCertificates(in: directory)
            let port = try await CredentialTestSupport.closedLoopbackPort()
            // s_server prints ACCEPT once it listens.
            let (server, _, _) = try startHelper(
                "openssl", ["s_server", "-accept", "127.0.0.1:\(port)", "-cert", "server.pem", "-key", "server.key", "-www"],
                in: directory, until: "ACCEPT")
            defer { stop(server) }
            let transport = URLSessionTransport(connectTimeout: 5, requestTimeout: 10)
            let request = HTTPRequest(method: "GET", url: try #require(URL(string: "https://127.0.0.1:\(port)/")))
            let error = try #require(await #expect(throws: KMSError.self) { try await transport.send(request) })
            #expect(error.code == .tlsFailed)
            #expect(error.message.contains("https://127.0.0.1:\(port)"))
            #expect(error.message.contains("AWS_CA_BUNDLE"))
        }
    }
}
