import Foundation
import KMSAPI

/// Wraps the credential chain for `--verbose`: one stderr line naming the source and access key id
/// each time credentials are fetched (never the secret, the session token or any SSO token).
struct CredentialLogger: CredentialProvider {
    let base: any CredentialProvider
    let output: Output

    func credentials() async throws -> Credentials {
        let credentials = try await base.credentials()
        var line = "credentials: \(credentials.source), access key \(credentials.accessKeyID)"
        if let expiration = credentials.expiration { line += ", expires \(expiration.formatted(.iso8601))" }
        output.note(line)
        return credentials
    }
}
