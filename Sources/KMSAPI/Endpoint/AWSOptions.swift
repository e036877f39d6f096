import Foundation

/// The AWS settings given on the command line (`--region`, `--profile`, `--endpoint-url`).
public struct AWSOptions: Sendable, Equatable {
    /// The `--region` value, if given.
    public var region: String?
    /// The `--profile` value, if given.
    public var profile: String?
    /// The `--endpoint-url` value, if given.
    public var endpointURL: String?

    /// Creates options; nil means the flag was not given.
    public init(region: String? = nil, profile: String? = nil, endpointURL: String? = nil) {
        self.region = region
        self.profile = profile
        self.endpointURL = endpointURL
    }
}
