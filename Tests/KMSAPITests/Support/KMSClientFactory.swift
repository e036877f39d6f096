import Foundation
import KMSAPI

/// Builds clients wired to fakes: fixed signing time, static credentials, seeded jitter.
enum KMSClientFactory {
    static let signingDate = Date(timeIntervalSince1970: 1_440_938_160)  // 2015-08-30T12:36:00Z
    static let credentials = Credentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "SECRETEXAMPLE", sessionToken: "TOKENEXAMPLE")

    static func makeClient(
        transport: ScriptedTransport, clock: any Clock<Duration> = RecordingClock(), maxAttempts: Int? = nil,
        retryMode: String = "standard", rateLimiter: RateLimiter = .unlimited,
        observer: (@Sendable (KMSCallEvent) -> Void)? = nil
    ) -> KMSClient {
        let configuration = KMSClientConfiguration(
            region: "us-east-1", endpoint: URL(string: "https://kms.us-east-1.amazonaws.com")!,
            maxAttempts: maxAttempts, retryMode: retryMode, userAgent: "decommission-tests")
        return KMSClient(
            configuration: configuration, credentials: StaticCredentialProvider(credentials), transport: transport,
            rateLimiter: rateLimiter, clock: clock, now: { signingDate }, random: .seeded(1), observer: observer)
    }
}
