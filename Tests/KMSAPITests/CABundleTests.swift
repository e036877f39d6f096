import Foundation
import Testing

@testable import KMSAPI

/// A configured CA bundle is checked before any request: a bad one is a configuration error naming the setting.
struct CABundleTests {
    private static let bundle = CABundle(path: "/etc/corp-ca.pem", setting: "ca_bundle in profile 'prod'")
    private static let pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"

    private func validate(_ reader: @escaping FileReader) -> KMSError? {
        do {
            try Self.bundle.validate(readFile: reader)
            return nil
        } catch {
            return error as? KMSError
        }
    }

    @Test func aReadablePEMFileIsAccepted() {
        #expect(validate { path in path == "/etc/corp-ca.pem" ? Data(Self.pem.utf8) : nil } == nil)
    }

    @Test func aMissingFileIsAConfigurationErrorNamingTheSettingAndPath() throws {
        let error = try #require(validate { _ in nil })
        #expect(error.code == .invalidConfiguration)
        #expect(error.message.contains("ca_bundle in profile 'prod' names '/etc/corp-ca.pem', which does not exist"))
    }

    @Test func anUnreadableFileIsAConfigurationError() throws {
        let error = try #require(validate { _ in throw CocoaError(.fileReadNoPermission) })
        #expect(error.code == .invalidConfiguration)
        #expect(error.message.contains("cannot be read"))
    }

    @Test func aFileWithoutAPEMCertificateIsAConfigurationError() throws {
        let error = try #require(validate { _ in Data("not a certificate\n".utf8) })
        #expect(error.code == .invalidConfiguration)
        #expect(error.message.contains("holds no PEM certificate"))
    }
}
