import Foundation

/// Fetches credentials from the ECS or EKS Pod Identity container endpoint.
public struct ContainerCredentialProvider: CredentialSource {
    /// The host that `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` is relative to.
    public static let ecsHost = "http://169.254.170.2"
    /// Hosts that may be reached over plain http besides loopback (ECS and EKS Pod Identity agents).
    static let allowedHTTPHosts: Set<String> = ["169.254.170.2", "169.254.170.23", "fd00:ec2::23"]

    private let environment: [String: String]
    private let transport: any HTTPTransport
    private let readFile: FileReader

    /// Creates a provider.
    /// - Parameters:
    ///   - environment: read for `AWS_CONTAINER_*` variables.
    ///   - transport: sends the request (short timeouts suit a local agent).
    ///   - readFile: reads `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE`.
    public init(environment: [String: String], transport: any HTTPTransport, readFile: @escaping FileReader) {
        self.environment = environment
        self.transport = transport
        self.readFile = readFile
    }

    /// Returns the container's credentials.
    /// - Throws: `KMSError` with `config.no-credentials` when no container URI is set, or `config.credentials-failed`.
    public func credentials() async throws -> Credentials {
        try await requireConfigured("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI or AWS_CONTAINER_CREDENTIALS_FULL_URI")
    }

    /// Returns the container's credentials, or nil when neither container URI variable is set.
    /// - Throws: `KMSError` with `config.credentials-failed` for a disallowed URI, an unreadable token file,
    ///   an unreachable endpoint, an HTTP error or a malformed answer.
    public func credentialsIfConfigured() async throws -> Credentials? {
        guard let (url, variable) = try endpoint() else { return nil }
        var request = HTTPRequest(method: "GET", url: url)
        request.headers.replace("Accept", with: "application/json")
        if let token = try authorizationToken() { request.headers.replace("Authorization", with: token) }
        let source = "the container credentials endpoint (\(variable))"
        let response: HTTPResponse
        do {
            response = try await transport.send(request)
        } catch let error as KMSError {
            throw KMSError(
                code: .credentialsFailed, message: "Could not reach \(source): \(error.message)", underlying: error)
        }
        guard response.status == 200 else {
            throw KMSError(
                code: .credentialsFailed, message: "The request to \(source) failed with HTTP \(response.status); check the task or pod role.",
                httpStatus: response.status)
        }
        return try CredentialsDocument.decode(response.body, from: source).makeCredentials(from: source, label: "container")
    }

    /// Returns the endpoint and the variable it came from, or nil when neither is set.
    func endpoint() throws -> (URL, String)? {
        if let relative = environment.nonEmptyValue("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") {
            let path = relative.hasPrefix("/") ? relative : "/" + relative
            guard let url = URL(string: Self.ecsHost + path) else {
                throw invalid("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI is not a valid URL path; check the task definition")
            }
            return (url, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")
        }
        guard let full = environment.nonEmptyValue("AWS_CONTAINER_CREDENTIALS_FULL_URI") else { return nil }
        guard let url = URL(string: full), let scheme = url.scheme?.lowercased(), let host = url.host, !host.isEmpty else {
            throw invalid("AWS_CONTAINER_CREDENTIALS_FULL_URI is not an absolute URL; use https, or http to a loopback or container agent address")
        }
        if scheme == "https" { return (url, "AWS_CONTAINER_CREDENTIALS_FULL_URI") }
        guard scheme == "http", Self.isAllowedHTTPHost(host) else {
            throw invalid(
                "AWS_CONTAINER_CREDENTIALS_FULL_URI uses host '\(host)' over \(scheme); only https, or http to loopback, 169.254.170.2, 169.254.170.23 or fd00:ec2::23, is allowed")
        }
        return (url, "AWS_CONTAINER_CREDENTIALS_FULL_URI")
    }

    /// Returns whether plain http to a host is safe: loopback or a known container agent address.
    static func isAllowedHTTPHost(_ rawHost: String) -> Bool {
        var host = rawHost.lowercased()
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if host == "localhost" || host == "::1" || allowedHTTPHosts.contains(host) { return true }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4, octets.allSatisfy({ UInt8($0) != nil }) else { return false }
        return octets[0] == "127"
    }

    private func authorizationToken() throws -> String? {
        if let path = environment.nonEmptyValue("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE") {
            let data: Data?
            do {
                data = try readFile(path)
            } catch {
                throw invalid("could not read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE '\(path)'; check its permissions")
            }
            guard let data, let text = String(data: data, encoding: .utf8) else {
                throw invalid("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE '\(path)' does not exist or is not text; check the mount")
            }
            return try checkedToken(text.trimmingCharacters(in: .whitespacesAndNewlines), variable: "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE")
        }
        guard let token = environment.nonEmptyValue("AWS_CONTAINER_AUTHORIZATION_TOKEN") else { return nil }
        return try checkedToken(token, variable: "AWS_CONTAINER_AUTHORIZATION_TOKEN")
    }

    private func checkedToken(_ token: String, variable: String) throws -> String {
        // A line break would let the token inject extra headers.
        guard !token.contains("\r"), !token.contains("\n") else {
            throw invalid("\(variable) holds a token with a line break; fix the token")
        }
        return token
    }

    private func invalid(_ what: String) -> KMSError {
        KMSError(code: .credentialsFailed, message: "Container credentials: \(what).")
    }
}
