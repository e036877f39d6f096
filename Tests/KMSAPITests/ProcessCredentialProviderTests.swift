import Foundation
import Testing

@testable import KMSAPI

/// Runs real shell scripts through `FoundationProcessRunner`.
struct ProcessCredentialProviderTests {
    private static let environment = ["PATH": "/usr/bin:/bin"]

    private func provider(_ command: String, clock: any Clock<Duration> = ContinuousClock()) -> ProcessCredentialProvider {
        ProcessCredentialProvider(
            command: command, profile: "proc", environment: Self.environment, runner: FoundationProcessRunner(clock: clock))
    }

    @Test func readsCredentialsPrintedByARealProcess() async throws {
        try await CredentialTestSupport.withTemporaryDirectory { directory in
            let script = try CredentialTestSupport.writeScript(
                #"""
                echo "diagnostics go to stderr" >&2
                printf '{"Version": 1, "AccessKeyId": "AKIDPROC", "SecretAccessKey": "proc-secret", "SessionToken": "%s", "Expiration": "2030-01-02T03:04:05Z"}' "$1"
                """#, named: "creds with space.sh", in: directory)
            let credentials = try await provider("\(script) token-from-arg").credentials()
            #expect(credentials.accessKeyID == "AKIDPROC")
            #expect(credentials.secretAccessKey == "proc-secret")
            #expect(credentials.sessionToken == "token-from-arg")
            #expect(credentials.expiration == Date(timeIntervalSince1970: 1_893_553_445))
        }
    }

    @Test func findsTheProgramOnPath() async throws {
        let credentials = try await provider(#"printf '{"Version":1,"AccessKeyId":"A","SecretAccessKey":"S"}'"#).credentials()
        #expect(credentials.accessKeyID == "A")
        #expect(credentials.expiration == nil)
    }

    @Test func nonZeroExitIsAnErrorWithoutTheOutput() async throws {
        try await CredentialTestSupport.withTemporaryDirectory { directory in
            let script = try CredentialTestSupport.writeScript(
                #"echo '{"Version":1,"AccessKeyId":"AKID","SecretAccessKey":"leaked-secret"}'; echo oops >&2; exit 3"#,
                named: "fail.sh", in: directory)
            let error = try #require(await #expect(throws: KMSError.self) { try await provider(script).credentials() })
            #expect(error.code == .credentialsFailed)
            #expect(error.message.contains("status 3"))
            #expect(!error.message.contains("leaked-secret"))
        }
    }

    @Test(arguments: [
        (#"{"Version":2,"AccessKeyId":"A","SecretAccessKey":"hidden-secret"}"#, "Version 2"),
        (#"{"AccessKeyId":"A","SecretAccessKey":"hidden-secret"}"#, "no Version"),
        (#"{"Version":1,"SecretAccessKey":"hidden-secret"}"#, "no AccessKeyId"),
        (#"{"Version":1,"AccessKeyId":"A"}"#, "no SecretAccessKey"),
        (#"{"Version":1,"AccessKeyId":"A","SecretAccessKey":"hidden-secret","Expiration":"tomorrow"}"#, "ISO 8601"),
        (#"not json hidden-secret"#, "not a valid credentials JSON"),
    ])
    func badOutputIsAClearErrorWithoutTheOutput(output: String, expected: String) async throws {
        try await CredentialTestSupport.withTemporaryDirectory { directory in
            try Data(output.utf8).write(to: directory.appendingPathComponent("out.json"))
            let script = try CredentialTestSupport.writeScript("cat \"$(dirname \"$0\")/out.json\"", named: "bad.sh", in: directory)
            let error = try #require(await #expect(throws: KMSError.self) { try await provider(script).credentials() })
            #expect(error.code == .credentialsFailed)
            #expect(error.message.contains(expected))
            #expect(!error.message.contains("hidden-secret"))
        }
    }

    @Test func missingProgramIsAnError() async throws {
        let error = try #require(await #expect(throws: KMSError.self) {
            try await provider("/nonexistent/credential-helper --flag").credentials()
        })
        #expect(error.code == .credentialsFailed)
    }

    @Test func unbalancedQuoteIsAnError() async throws {
        let error = try #require(await #expect(throws: KMSError.self) { try await provider("\"/bin/x").credentials() })
        #expect(error.message.contains("unbalanced quote"))
    }

    @Test func slowProcessIsStoppedAtTheTimeout() async throws {
        try await CredentialTestSupport.withTemporaryDirectory { directory in
            let script = try CredentialTestSupport.writeScript("exec sleep 30", named: "slow.sh", in: directory)
            // The immediate clock makes the timeout fire at once, so the test does not wait.
            let error = try #require(await #expect(throws: KMSError.self) {
                try await provider(script, clock: ImmediateTimeoutClock()).credentials()
            })
            #expect(error.message.contains("did not finish within 60 seconds"))
        }
    }

    @Test func largeOutputOnBothStreamsDoesNotDeadlock() async throws {
        // 256 KiB on each pipe is far beyond the 64 KiB pipe buffer.
        let script = #"head -c 262144 /dev/zero >&2; head -c 262144 /dev/zero | tr '\0' ' '; printf '{"Version":1,"AccessKeyId":"BIG","SecretAccessKey":"S"}'"#
        try await CredentialTestSupport.withTemporaryDirectory { directory in
            let command = try CredentialTestSupport.writeScript(script, named: "big.sh", in: directory)
            #expect(try await provider(command).credentials().accessKeyID == "BIG")
        }
    }
}
