import Foundation
import KMSAPI

/// Builds S3 clients wired to fakes: fixed signing time, static credentials, seeded jitter.
enum S3ClientFactory {
    /// 2013-05-24T00:00:00Z, the date of AWS's S3 SigV4 examples.
    static let signingDate = Date(timeIntervalSince1970: 1_369_353_600)
    static let exampleCredentials = Credentials(
        accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")

    static func makeClient(
        transport: any HTTPTransport, endpoint: String = "https://s3.eu-west-1.amazonaws.com", region: String = "eu-west-1",
        addressingStyle: S3AddressingStyle = .virtualHostedWhenPossible, credentials: Credentials = exampleCredentials,
        maxAttempts: Int? = nil, now: @escaping @Sendable () -> Date = { signingDate },
        observer: (@Sendable (KMSCallEvent) -> Void)? = nil
    ) throws -> S3Client {
        let configuration = S3ClientConfiguration(
            region: region, endpoint: try KMSEndpoint.parseEndpoint(endpoint, source: "test"),
            addressingStyle: addressingStyle, maxAttempts: maxAttempts, userAgent: "decommission-tests")
        return S3Client(
            configuration: configuration, credentials: StaticCredentialProvider(credentials), transport: transport,
            rateLimiter: .unlimited, clock: RecordingClock(), now: now, random: .seeded(1), observer: observer)
    }

    static func bucket(_ name: String) throws -> S3BucketName {
        guard let bucket = S3BucketName(rawValue: name) else {
            throw KMSError(code: .s3InvalidLocation, message: "Test bucket name '\(name)' is invalid.")
        }
        return bucket
    }

    /// An S3 REST-XML error answer.
    static func xmlError(_ code: String, status: Int, message: String = "It failed", requestID: String = "s3-req") -> HTTPResponse {
        let body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>\(code)</Code><Message>\(message)</Message><RequestId>\(requestID)</RequestId></Error>"
        return HTTPResponse(
            status: status, headers: HTTPHeaders([("Content-Type", "application/xml"), ("x-amz-request-id", requestID)]),
            body: Data(body.utf8))
    }
}
