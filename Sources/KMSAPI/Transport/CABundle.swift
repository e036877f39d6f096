import Foundation

/// A custom CA bundle: a PEM file of the only CA certificates to trust, and the setting that named it.
///
/// Set by `AWS_CA_BUNDLE` or the profile's `ca_bundle` (in that order, as botocore reads them),
/// typically for a proxy that inspects TLS. Like botocore, a bundle replaces the system store.
public struct CABundle: Sendable, Equatable {
    /// The file's path, exactly as configured (relative paths are relative to the working directory).
    public var path: String
    /// Where the path came from, for messages: `AWS_CA_BUNDLE` or `ca_bundle in profile 'NAME'`.
    public var setting: String

    /// Creates a bundle description.
    public init(path: String, setting: String) {
        self.path = path
        self.setting = setting
    }

    /// Checks that the file exists, can be read and holds at least one PEM certificate, so a bad
    /// setting fails at once instead of every request failing TLS (or trusting the system store).
    /// - Throws: `KMSError` with `config.invalid` naming the setting and the path.
    public func validate(readFile: FileReader) throws {
        let contents: Data?
        do {
            contents = try readFile(path)
        } catch {
            throw invalid("cannot be read (\(error.localizedDescription))")
        }
        guard let contents else { throw invalid("does not exist") }
        guard contents.range(of: Data("-----BEGIN CERTIFICATE-----".utf8)) != nil else {
            throw invalid("holds no PEM certificate (-----BEGIN CERTIFICATE-----)")
        }
    }

    /// The `config.invalid` error for this setting.
    func invalid(_ problem: String) -> KMSError {
        KMSError(
            code: .invalidConfiguration,
            message: "\(setting) names '\(path)', which \(problem); point it at a PEM file of CA certificates or unset it.")
    }
}
