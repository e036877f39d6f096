import Foundation

/// Reads a file's bytes, returning nil when the file does not exist.
public typealias FileReader = @Sendable (String) throws -> Data?

/// The AWS config and credentials files together, with the CLI's rules for finding a profile.
public struct SharedConfiguration: Sendable, Equatable {
    /// The parsed `~/.aws/config` (empty when missing).
    public var config: SharedConfigFile
    /// The parsed `~/.aws/credentials` (empty when missing).
    public var credentials: SharedConfigFile
    /// Where the config file was looked for, for messages.
    public var configPath: String
    /// Where the credentials file was looked for, for messages.
    public var credentialsPath: String

    /// Creates a configuration from parsed files.
    public init(
        config: SharedConfigFile = SharedConfigFile(kind: .config),
        credentials: SharedConfigFile = SharedConfigFile(kind: .credentials),
        configPath: String = "~/.aws/config", credentialsPath: String = "~/.aws/credentials"
    ) {
        self.config = config
        self.credentials = credentials
        self.configPath = configPath
        self.credentialsPath = credentialsPath
    }

    /// Loads both files from `AWS_CONFIG_FILE` and `AWS_SHARED_CREDENTIALS_FILE` or their defaults.
    /// - Parameters:
    ///   - environment: the process environment.
    ///   - homeDirectory: the user's home, used for the defaults and to expand a leading `~`.
    ///   - readFile: reads a file, returning nil when it is missing.
    /// - Throws: `KMSError` with `config.invalid` when a file cannot be read or parsed.
    public static func load(environment: [String: String], homeDirectory: String, readFile: FileReader) throws -> SharedConfiguration {
        let configPath = expandHome(
            environment.nonEmptyValue("AWS_CONFIG_FILE") ?? "~/.aws/config", homeDirectory: homeDirectory)
        let credentialsPath = expandHome(
            environment.nonEmptyValue("AWS_SHARED_CREDENTIALS_FILE") ?? "~/.aws/credentials", homeDirectory: homeDirectory)
        return SharedConfiguration(
            config: try loadFile(configPath, kind: .config, readFile: readFile),
            credentials: try loadFile(credentialsPath, kind: .credentials, readFile: readFile),
            configPath: configPath, credentialsPath: credentialsPath)
    }

    /// Returns whether either file defines the profile.
    public func hasProfile(_ name: String) -> Bool {
        config.profile(named: name) != nil || credentials.profile(named: name) != nil
    }

    /// Returns a profile's settings with the credentials file winning over the config file.
    public func profile(named name: String) -> [String: String]? {
        let fromConfig = config.profile(named: name)
        let fromCredentials = credentials.profile(named: name)
        if fromConfig == nil && fromCredentials == nil { return nil }
        return (fromConfig ?? [:]).merging(fromCredentials ?? [:]) { _, credentialsValue in credentialsValue }
    }

    /// Replaces a leading `~` or `~/` with the home directory, as the CLI does.
    static func expandHome(_ path: String, homeDirectory: String) -> String {
        if path == "~" { return homeDirectory }
        guard path.hasPrefix("~/") else { return path }
        let home = homeDirectory.hasSuffix("/") ? String(homeDirectory.dropLast()) : homeDirectory
        return home + path.dropFirst()
    }

    private static func loadFile(_ path: String, kind: SharedConfigFile.Kind, readFile: FileReader) throws -> SharedConfigFile {
        let data: Data?
        do {
            data = try readFile(path)
        } catch {
            throw KMSError(
                code: .invalidConfiguration, message: "Could not read the AWS \(kind.rawValue) file '\(path)'; check its permissions.",
                underlying: error)
        }
        guard let data else { return SharedConfigFile(kind: kind) }
        guard let text = String(data: data, encoding: .utf8) else {
            throw KMSError(code: .invalidConfiguration, message: "The AWS \(kind.rawValue) file '\(path)' is not UTF-8 text; fix its encoding.")
        }
        return try SharedConfigFile(parsing: text, kind: kind, path: path)
    }
}

extension Dictionary where Key == String, Value == String {
    /// Returns a value with surrounding whitespace removed, treating an empty value as unset.
    func nonEmptyValue(_ key: String) -> String? {
        guard let value = self[key]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
        return value
    }
}
