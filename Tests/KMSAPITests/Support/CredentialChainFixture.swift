import Foundation
import TestSupport
import Synchronization

@testable import KMSAPI

/// An in-memory file system for credential tests: reads, atomic writes, and what was written.
final class MemoryFiles: Sendable {
    private let files: Mutex<[String: Data]>
    private let writes = Mutex<[String]>([])
    init(_ files: [String: String] = [:]) { self.files = Mutex(files.mapValues { Data($0.utf8) }) }

    func set(_ path: String, _ text: String) { files.withLock { $0[path] = Data(text.utf8) } }
    func text(_ path: String) -> String? { files.withLock { $0[path] }.map { String(decoding: $0, as: UTF8.self) } }
    var writtenPaths: [String] { writes.withLock { $0 } }

    var reader: FileReader { { [self] path in files.withLock { $0[path] } } }
    var writer: FileWriter {
        { [self] path, data in
            files.withLock { $0[path] = data }
            writes.withLock { $0.append(path) }
        }
    }
}

/// Builds credential contexts over a scripted transport, in-memory files and a settable clock.
enum CredentialChainFixture {
    static let home = "/home/test"
    static let start = Date(timeIntervalSince1970: 1_800_000_000)

    /// A Query `AssumeRole`/`AssumeRoleWithWebIdentity` answer with the given key and lifetime.
    static func stsAnswer(
        _ action: String = "AssumeRole", accessKeyID: String, expires: Date = start.addingTimeInterval(3600)
    ) -> HTTPResponse {
        let body = """
            <\(action)Response xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><\(action)Result><Credentials>\
            <AccessKeyId>\(accessKeyID)</AccessKeyId><SecretAccessKey>secret-\(accessKeyID)</SecretAccessKey>\
            <SessionToken>token-\(accessKeyID)</SessionToken><Expiration>\(SSOTokenProvider.formatDate(expires))</Expiration>\
            </Credentials></\(action)Result><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></\(action)Response>
            """
        return HTTPResponse(status: 200, headers: HTTPHeaders([("Content-Type", "text/xml")]), body: Data(body.utf8))
    }

    /// A Query error answer.
    static func stsError(_ code: String, status: Int = 403) -> HTTPResponse {
        let body = "<ErrorResponse><Error><Type>Sender</Type><Code>\(code)</Code><Message>No.</Message></Error><RequestId>req-e</RequestId></ErrorResponse>"
        return HTTPResponse(status: status, body: Data(body.utf8))
    }

    /// A portal `GetRoleCredentials` answer.
    static func portalAnswer(accessKeyID: String, expires: Date = start.addingTimeInterval(3600)) -> HTTPResponse {
        let millis = Int64(expires.timeIntervalSince1970 * 1000)
        let body = #"{"roleCredentials":{"accessKeyId":"\#(accessKeyID)","secretAccessKey":"sso-secret","sessionToken":"sso-token","expiration":\#(millis)}}"#
        return HTTPResponse(status: 200, body: Data(body.utf8))
    }

    static func context(
        config: String = "", credentials: String = "", environment: [String: String] = [:], files: MemoryFiles = MemoryFiles(),
        transport: any HTTPTransport, now: ManualNow = ManualNow(start), region: String = "us-east-1",
        prompt: @escaping MFACodePrompt = { _, _ in nil }
    ) throws -> CredentialContext {
        let shared = try CredentialTestSupport.files(config: config, credentials: credentials)
        var environment = environment
        environment["AWS_EC2_METADATA_DISABLED"] = environment["AWS_EC2_METADATA_DISABLED"] ?? "true"
        let resolver = AWSConfigResolver(environment: environment, files: shared)
        let services = CredentialServiceFactory(
            resolver: resolver, options: AWSOptions(), region: region, maxAttempts: 1, userAgent: "test",
            transport: transport, clock: ManualClock(), now: now.now, random: .seeded(1))
        return CredentialContext(
            environment: environment, files: shared, homeDirectory: home, readFile: files.reader, writeFile: files.writer,
            transport: transport, metadataTransport: transport, processRunner: DefaultCredentialChainTests.NoProcessRunner(),
            services: services, mfaPrompt: prompt, now: now.now)
    }

    static func chain(_ context: CredentialContext, profile: String = "default", flag: Bool = false) -> DefaultCredentialChain {
        DefaultCredentialChain(context: context, profile: profile, isExplicitProfile: profile != "default", skipsEnvironment: flag)
    }

    /// The decoded form fields of a Query request.
    static func form(_ request: HTTPRequest) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in String(decoding: request.body, as: UTF8.self).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).removingPercentEncoding ?? String($0) }
            if parts.count == 2 { fields[parts[0]] = parts[1] }
        }
        return fields
    }

    /// The access key id a request was signed with, nil when unsigned.
    static func signingKey(_ request: HTTPRequest) -> String? {
        guard let header = request.headers["Authorization"], let range = header.range(of: "Credential=") else { return nil }
        return String(header[range.upperBound...].prefix { $0 != "/" })
    }
}
