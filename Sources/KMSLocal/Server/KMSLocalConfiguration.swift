import Foundation

/// Everything that shapes one kms-local instance: address, state files, time scale, quotas,
/// faults and the accepted credentials.
public struct KMSLocalConfiguration: Sendable, Equatable {
    /// The well-known access key id accepted when no credentials are configured.
    public static let defaultAccessKeyID = "AKIDKMSLOCAL"
    /// The well-known secret of `defaultAccessKeyID` (a test value, printed in `--help`).
    public static let defaultSecretAccessKey = "kms-local-secret"

    /// The IPv4 address to bind; loopback unless told otherwise.
    public var host = "127.0.0.1"
    /// The TCP port; 0 picks a free one.
    public var port = 4599
    /// A seed file to load at start (see SEED-FORMAT.md); ignored when `stateFile` exists.
    public var seedFile: String?
    /// An in-memory seed (JSON in the seed format), used when `seedFile` is nil.
    public var seedData: Data?
    /// A state file loaded if present and rewritten after every mutating call and at stop.
    public var stateFile: String?
    /// Every simulated duration is divided by this factor.
    public var timeScale: Double = 1
    /// The request quotas to enforce.
    public var quotas: QuotaPolicy = .none
    /// The fraction of requests that fail on purpose.
    public var faultRate: Double = 0
    /// The seed of the deterministic fault generator.
    public var faultSeed: UInt64 = 0
    /// Milliseconds to wait before each answer.
    public var latencyMilliseconds = 0
    /// Seconds between a key's DeletionDate and its disappearance, before the time scale.
    public var deletionLagSeconds: Double = 0
    /// Accepted access keys and their secrets.
    public var credentials: [String: String] = [defaultAccessKeyID: defaultSecretAccessKey]
    /// Session tokens that requests signed with an access key must carry (temporary credentials).
    public var sessionTokens: [String: String] = [:]
    /// The account id in ARNs (a seed may override it).
    public var accountID = "111122223333"
    /// The Region in ARNs and signatures (a seed may override it).
    public var region = "us-east-1"
    /// The principal ARN of each access key in CloudTrail events (`--principal AKID=ARN`; over the seed's).
    public var principals: [String: String] = [:]
    /// Seconds before an event shows in `LookupEvents` (`--cloudtrail-lag`; not time-scaled).
    public var cloudTrailLagSeconds: Double = 0

    /// Creates the default configuration (loopback, port 4599, no quotas or faults).
    public init() {}

    /// Whether `host` is a loopback address.
    public var isLoopback: Bool { host.hasPrefix("127.") || host == "localhost" }
}
