import Foundation
import KMSAPI

/// The outside world the CLI runs in, built for real by `main.swift` and by tests in-process.
struct CLIDependencies: Sendable {
    var environment: [String: String]
    var io: CLIIO
    var currentDirectory: String
    var homeDirectory: String
    /// Sends AWS requests (and container credential requests) when no CA bundle is configured.
    var transport: any HTTPTransport
    /// Makes the transport for every AWS service when a CA bundle (`AWS_CA_BUNDLE`, `ca_bundle`) is
    /// configured: URLSession on Linux cannot trust a CA file, so this is libcurl's own.
    var makeCABundleTransport: @Sendable (CABundle) throws -> any HTTPTransport = { try CurlTransport(caBundle: $0) }
    /// Reaches the EC2 instance metadata service, with a short timeout.
    var metadataTransport: any HTTPTransport
    var readFile: FileReader
    /// Writes the SSO token cache back (atomically, mode 0600).
    var writeFile: FileWriter = SystemFileWriter.write
    var processRunner: any ProcessRunner
    var clock: any Clock<Duration>
    var now: @Sendable () -> Date
    /// Who is running the tool (user@host), recorded with an approval.
    var userName: String?
}
