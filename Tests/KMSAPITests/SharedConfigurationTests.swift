import Foundation
import Testing

@testable import KMSAPI

struct SharedConfigurationTests {
    @Test func loadsDefaultPathsUnderTheHomeDirectory() throws {
        let reader = CredentialTestSupport.reader([
            "/home/u/.aws/config": "[profile dev]\nregion = eu-west-1\n",
            "/home/u/.aws/credentials": "[dev]\naws_access_key_id = AKID\n",
        ])
        let files = try SharedConfiguration.load(environment: [:], homeDirectory: "/home/u", readFile: reader)
        #expect(files.configPath == "/home/u/.aws/config")
        #expect(files.profile(named: "dev") == ["region": "eu-west-1", "aws_access_key_id": "AKID"])
    }

    @Test func honoursFileVariablesAndExpandsTilde() throws {
        let reader = CredentialTestSupport.reader([
            "/home/u/custom/config": "[default]\nregion = us-west-1\n",
            "/etc/aws-creds": "[default]\naws_access_key_id = AKID\n",
        ])
        let environment = ["AWS_CONFIG_FILE": "~/custom/config", "AWS_SHARED_CREDENTIALS_FILE": "/etc/aws-creds"]
        let files = try SharedConfiguration.load(environment: environment, homeDirectory: "/home/u/", readFile: reader)
        #expect(files.configPath == "/home/u/custom/config")
        #expect(files.profile(named: "default")?["region"] == "us-west-1")
        #expect(files.profile(named: "default")?["aws_access_key_id"] == "AKID")
    }

    @Test func credentialsFileWinsOverConfigForTheSameKey() throws {
        let files = try CredentialTestSupport.files(
            config: "[default]\naws_access_key_id = FROMCONFIG\nregion = us-east-1\n",
            credentials: "[default]\naws_access_key_id = FROMCREDENTIALS\n")
        #expect(files.profile(named: "default") == ["aws_access_key_id": "FROMCREDENTIALS", "region": "us-east-1"])
    }

    @Test func missingFilesAreEmpty() throws {
        let files = try SharedConfiguration.load(environment: [:], homeDirectory: "/nowhere", readFile: CredentialTestSupport.reader([:]))
        #expect(files.profile(named: "default") == nil)
        #expect(!files.hasProfile("default"))
    }

    @Test func unreadableFileIsAConfigurationError() throws {
        struct Denied: Error {}
        let error = try #require(throws: KMSError.self) {
            try SharedConfiguration.load(environment: [:], homeDirectory: "/home/u", readFile: { _ in throw Denied() })
        }
        #expect(error.code == .invalidConfiguration)
        #expect(error.message.contains("/home/u/.aws/config"))
    }

    @Test func readsRealFilesThroughTheSystemReader() async throws {
        try await CredentialTestSupport.withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("config").path
            try Data("[default]\nregion = sa-east-1\n".utf8).write(to: URL(fileURLWithPath: path))
            let files = try SharedConfiguration.load(
                environment: ["AWS_CONFIG_FILE": path], homeDirectory: directory.path, readFile: SystemFileReader.read)
            #expect(files.profile(named: "default")?["region"] == "sa-east-1")
            #expect(try SystemFileReader.read(directory.appendingPathComponent("absent").path) == nil)
        }
    }
}
