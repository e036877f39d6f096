import Foundation
import KMSAPI
import KMSLocal
import Testing

/// kms-local's CloudTrail over real loopback HTTP: KMS calls signed with SigV4 `kms`, lookups with
/// `cloudtrail`, through the project's own clients.
struct CloudTrailServingTests {
    static let appKey = Credentials(accessKeyID: "AKIDAPP", secretAccessKey: "app-secret")
    static let toolKey = Credentials(accessKeyID: "AKIDKMSLOCAL", secretAccessKey: "kms-local-secret")
    static let keyID = "1234abcd-12ab-34cd-56ef-1234567890ab"
    static let pendingID = "0987dcba-09fe-87dc-65ba-ab0987654321"
    static let keyARN = "arn:aws:kms:us-east-1:111122223333:key/\(keyID)"

    struct Harness {
        let server: KMSLocalServer
        let transport: URLSessionTransport

        func kms(_ credentials: Credentials = CloudTrailServingTests.appKey) -> KMSClient {
            KMSClient(
                configuration: KMSClientConfiguration(region: "us-east-1", endpoint: server.endpoint, maxAttempts: 1),
                credentials: StaticCredentialProvider(credentials), transport: transport, rateLimiter: .unlimited,
                clock: ContinuousClock(), now: { Date() }, random: .seeded(1))
        }

        func cloudTrail(maxAttempts: Int = 1) -> CloudTrailClient {
            CloudTrailClient(
                configuration: KMSClientConfiguration(region: "us-east-1", endpoint: server.endpoint, maxAttempts: maxAttempts),
                credentials: StaticCredentialProvider(CloudTrailServingTests.toolKey), transport: transport,
                rateLimiter: .unlimited, clock: ContinuousClock(), now: { Date() }, random: .seeded(1))
        }

        func events(_ attribute: LookupAttribute? = nil) async throws -> [CloudTrailRecord] {
            var records: [CloudTrailRecord] = []
            for try await page in cloudTrail().pages(LookupEventsRequest(lookupAttributes: attribute.map { [$0] })) {
                records += page.events.map(\.record)
            }
            return records
        }

        func advance(seconds: Double) async throws {
            let url = try #require(URL(string: server.endpoint.absoluteString + "/_kms_local/advance"))
            let response = try await transport.send(
                HTTPRequest(method: "POST", url: url, headers: HTTPHeaders([]), body: Data(#"{"seconds": \#(seconds)}"#.utf8)))
            #expect(response.status == 200)
        }
    }

    static func withServer(
        seed extra: String = "", arguments: [String] = [], now: @escaping @Sendable () -> Date = { Date() },
        _ body: (Harness) async throws -> Void
    ) async throws {
        let parsed = try KMSLocalArguments.parse(
            ["--port", "0", "--credentials", "AKIDAPP:app-secret", "--credentials", "AKIDKMSLOCAL:kms-local-secret",
             "--principal", "AKIDAPP=arn:aws:iam::111122223333:role/app"] + arguments)
        guard case .run(var configuration) = parsed else { throw KMSError(code: .invalidConfiguration, message: "help") }
        configuration.seedData = Data(#"""
            {"seedVersion": 1, "keys": [{"id": "\#(keyID)", "state": "Enabled"},
              {"id": "\#(pendingID)", "state": "PendingDeletion", "pendingWindowInDays": 7}]\#(extra)}
            """#.utf8)
        let server = KMSLocalServer(configuration: configuration, now: now)
        try server.start()
        defer { server.stop() }
        try await body(Harness(server: server, transport: URLSessionTransport()))
    }

    @Test func aFailedDecryptOnADisabledKeyIsAnEventNamingThePrincipal() async throws {
        try await Self.withServer { harness in
            let app = harness.kms()
            let blob = try #require(try await app.encrypt(Data("secret".utf8), keyID: Self.keyID).ciphertextBlob)
            try await harness.kms(Self.toolKey).disableKey(Self.keyID)
            let error = await #expect(throws: KMSError.self) { _ = try await app.decrypt(blob) }
            #expect(error?.awsErrorType == "DisabledException")
            let records = try await harness.events(LookupAttribute(.resourceName, Self.keyARN))
            #expect(records.map(\.eventName) == ["Decrypt", "DisableKey", "Encrypt"])
            let decrypt = try #require(records.first)
            #expect(decrypt.errorCode == "DisabledException")
            #expect(decrypt.errorMessage == "\(Self.keyARN) is disabled.")
            #expect(decrypt.sessionIssuerARN == "arn:aws:iam::111122223333:role/app")
            #expect(decrypt.principalARN == "arn:aws:sts::111122223333:assumed-role/app/kms-local")
            #expect(decrypt.identityType == "AssumedRole")
            #expect(decrypt.accessKeyID == "AKIDAPP")
            #expect(decrypt.resourceARNs == [Self.keyARN])
            #expect(decrypt.sourceIPAddress == "127.0.0.1")
            #expect(decrypt.readOnly == true)
            #expect(records[1].accessKeyID == "AKIDKMSLOCAL")
            #expect(records[1].principalARN == "arn:aws:iam::111122223333:user/AKIDKMSLOCAL")
            #expect(records[1].readOnly == false)
            #expect(records[2].errorCode == nil)
        }
    }

    @Test func cryptoOnAPendingKeyIsInvalidStatePendingDeletion() async throws {
        try await Self.withServer { harness in
            let app = harness.kms()
            let error = await #expect(throws: KMSError.self) {
                _ = try await app.generateDataKey(GenerateDataKeyRequest(keyID: Self.pendingID, keySpec: "AES_256"))
            }
            #expect(error?.awsErrorType == "KMSInvalidStateException")
            #expect(error?.message.contains("is pending deletion") == true)
            let records = try await harness.events(LookupAttribute(.resourceName, Self.pendingID))
            #expect(records.map(\.eventName) == ["GenerateDataKey"])
            #expect(records.first?.errorCode == "KMSInvalidStateException")
        }
    }

    @Test func generateDataKeyGivesAKeyDecryptReturns() async throws {
        try await Self.withServer { harness in
            let app = harness.kms()
            let key = try await app.generateDataKey(GenerateDataKeyRequest(keyID: Self.keyID, numberOfBytes: 24))
            let plaintext = try #require(key.plaintext)
            #expect(plaintext.count == 24)
            let blob = try #require(key.ciphertextBlob)
            #expect(try await app.decrypt(blob).plaintext == plaintext)
            let error = await #expect(throws: KMSError.self) {
                _ = try await app.generateDataKey(GenerateDataKeyRequest(keyID: Self.keyID))
            }
            #expect(error?.awsErrorType == "ValidationException")
        }
    }

    @Test func seededEventsPageNewestFirstFiftyAtATime() async throws {
        let seed = #"""
            , "cloudtrailEvents": [{"eventName": "Decrypt", "eventTime": "2026-11-30T12:00:00Z", "keyId": "\#(Self.keyID)",
               "errorCode": "DisabledException", "accessKeyId": "AKIDAPP", "sourceIPAddress": "10.1.2.3",
               "count": 120, "intervalSeconds": 600}]
            """#
        try await Self.withServer(seed: seed) { harness in
            var pages: [CloudTrailPage] = []
            for try await page in harness.cloudTrail().pages(LookupEventsRequest(lookupAttributes: [LookupAttribute(.resourceName, Self.keyARN)])) {
                pages.append(page)
            }
            #expect(pages.map(\.events.count) == [50, 50, 20])
            let times = pages.flatMap(\.events).compactMap(\.eventTime)
            #expect(times.count == 120)
            #expect(times == times.sorted(by: >))
            #expect(Set(pages.flatMap(\.events).compactMap(\.eventID)).count == 120)
            #expect(times.first == Date(timeIntervalSince1970: 1_796_040_000))
            let record = try #require(pages.first?.events.first?.record)
            #expect(record.sourceIPAddress == "10.1.2.3")
            #expect(record.sessionIssuerARN == "arn:aws:iam::111122223333:role/app")
        }
    }

    @Test func theLagHidesAFreshEventUntilItPasses() async throws {
        try await Self.withServer(arguments: ["--cloudtrail-lag", "300"]) { harness in
            _ = try await harness.kms().encrypt(Data("x".utf8), keyID: Self.keyID)
            #expect(try await harness.events(LookupAttribute(.resourceName, Self.keyARN)).isEmpty)
            try await harness.advance(seconds: 301)
            #expect(try await harness.events(LookupAttribute(.resourceName, Self.keyARN)).map(\.eventName) == ["Encrypt"])
        }
    }

    @Test func attributesFilterByNameReadOnlyAndAccessKey() async throws {
        try await Self.withServer { harness in
            _ = try await harness.kms().encrypt(Data("x".utf8), keyID: Self.keyID)
            try await harness.kms(Self.toolKey).disableKey(Self.keyID)
            _ = try await harness.kms(Self.toolKey).describeKey(Self.keyID)
            #expect(try await harness.events(LookupAttribute(.eventName, "DisableKey")).count == 1)
            #expect(try await harness.events(LookupAttribute(.readOnly, "false")).map(\.eventName) == ["DisableKey"])
            #expect(try await harness.events(LookupAttribute(.readOnly, "true")).map(\.eventName) == ["DescribeKey", "Encrypt"])
            #expect(try await harness.events(LookupAttribute(.accessKeyID, "AKIDAPP")).map(\.eventName) == ["Encrypt"])
            let window = LookupEventsRequest(startTime: Date().addingTimeInterval(3600))
            #expect(try await harness.cloudTrail().lookupEvents(window).output.events?.isEmpty == true)
        }
    }

    @Test func badLookupsGetCloudTrailErrors() async throws {
        try await Self.withServer { harness in
            let client = harness.cloudTrail()
            let cases: [(LookupEventsRequest, String)] = [
                (LookupEventsRequest(nextToken: "bm90IGEgdG9rZW4="), "InvalidNextTokenException"),
                (LookupEventsRequest(maxResults: 51), "InvalidMaxResultsException"),
                (LookupEventsRequest(startTime: Date(), endTime: Date().addingTimeInterval(-60)), "InvalidTimeRangeException"),
                (LookupEventsRequest(lookupAttributes: [LookupAttribute(.eventName, "a"), LookupAttribute(.eventName, "b")]),
                 "InvalidLookupAttributesException"),
            ]
            for (request, type) in cases {
                let error = await #expect(throws: KMSError.self) { _ = try await client.lookupEvents(request) }
                #expect(error?.awsErrorType == type)
            }
        }
    }

    @Test func aTokenIsRefusedWithOtherFilters() async throws {
        let seed = #", "cloudtrailEvents": [{"eventName": "Decrypt", "eventTime": "2026-11-30T12:00:00Z", "keyId": "\#(Self.keyID)", "count": 3}]"#
        try await Self.withServer(seed: seed) { harness in
            let client = harness.cloudTrail()
            let first = try await client.lookupEvents(LookupEventsRequest(maxResults: 1)).output
            let token = try #require(first.nextToken)
            let error = await #expect(throws: KMSError.self) {
                _ = try await client.lookupEvents(
                    LookupEventsRequest(lookupAttributes: [LookupAttribute(.eventName, "Decrypt")], maxResults: 1, nextToken: token))
            }
            #expect(error?.awsErrorType == "InvalidNextTokenException")
        }
    }

    @Test func awsQuotasThrottleTheThirdLookupInASecond() async throws {
        // The server's clock stands still, so the bucket never refills: 2 pass, the third is throttled.
        let frozen = Date()
        try await Self.withServer(arguments: ["--quotas", "aws"], now: { frozen }) { harness in
            let client = harness.cloudTrail()
            var throttled = 0
            for _ in 0..<3 {
                do {
                    _ = try await client.lookupEvents(LookupEventsRequest())
                } catch let error as KMSError where error.code == .throttled {
                    throttled += 1
                    #expect(error.awsErrorType == "ThrottlingException")
                }
            }
            #expect(throttled == 1)
        }
    }

    @Test func theSourceAddressComesFromXForwardedFor() async throws {
        try await Self.withServer { harness in
            var request = JSONProtocolRequest.make(
                endpoint: harness.server.endpoint, target: "TrentService.DescribeKey", body: Data(#"{"KeyId":"\#(Self.keyID)"}"#.utf8))
            request.headers.add("X-Forwarded-For", "192.0.2.10, 10.0.0.1")
            let signed = SigV4Signer(service: "kms", region: "us-east-1").sign(request, credentials: Self.appKey, date: Date())
            #expect(try await harness.transport.send(signed).status == 200)
            let records = try await harness.events(LookupAttribute(.eventName, "DescribeKey"))
            #expect(records.map(\.sourceIPAddress) == ["192.0.2.10"])
        }
    }

    @Test func aKMSSignatureIsRefusedForCloudTrail() async throws {
        try await Self.withServer { harness in
            let request = JSONProtocolRequest.make(endpoint: harness.server.endpoint, target: LookupEvents.target, body: Data("{}".utf8))
            let signed = SigV4Signer(service: "kms", region: "us-east-1").sign(request, credentials: Self.toolKey, date: Date())
            let response = try await harness.transport.send(signed)
            #expect(response.status == 400)
            #expect(AWSErrorMapping.errorType(headers: response.headers, body: response.body) == "IncompleteSignatureException"
                || AWSErrorMapping.errorType(headers: response.headers, body: response.body) == "InvalidSignatureException")
        }
    }

    @Test func principalAndLagFlagsAreParsedAndChecked() throws {
        guard case .run(let configuration) = try KMSLocalArguments.parse(
            ["--principal", "AKID1=arn:aws:iam::111122223333:user/ops", "--cloudtrail-lag", "2.5"])
        else { Issue.record("expected a run"); return }
        #expect(configuration.principals == ["AKID1": "arn:aws:iam::111122223333:user/ops"])
        #expect(configuration.cloudTrailLagSeconds == 2.5)
        for bad in [["--principal", "AKID1"], ["--principal", "=arn:aws:iam::1:user/x"], ["--cloudtrail-lag", "-1"]] {
            let error = #expect(throws: KMSLocalError.self) { _ = try KMSLocalArguments.parse(bad) }
            #expect(error?.code == .invalidValue)
        }
    }
}
