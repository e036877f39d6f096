import Foundation
import KMSAPI

/// Which request quotas the emulator enforces (`--quotas none|aws|aws×M`).
public enum QuotaPolicy: Sendable, Equatable {
    /// No throttling.
    case none
    /// AWS's default per-operation rates multiplied by a factor.
    case aws(multiplier: Double)

    /// Parses `none`, `aws`, `aws×M`, `awsxM` or `aws*M`; nil when the text is none of these.
    public init?(argument: String) {
        if argument == "none" {
            self = .none
            return
        }
        guard argument.hasPrefix("aws") else { return nil }
        var rest = Substring(argument.dropFirst(3))
        if rest.isEmpty {
            self = .aws(multiplier: 1)
            return
        }
        guard let first = rest.first, ["×", "x", "*"].contains(first) else { return nil }
        rest = rest.dropFirst()
        guard let multiplier = Double(rest), multiplier > 0, multiplier.isFinite else { return nil }
        self = .aws(multiplier: multiplier)
    }

    /// Default requests per second of each operation (reference section 7; CreateKey, CreateAlias,
    /// CreateGrant use AWS's 50 and Encrypt/Decrypt the symmetric crypto quota of 10,000).
    static let awsRates: [OperationName: Double] = [
        DescribeCustomKeyStores.name: 5, ListKeys.name: 500, DescribeKey.name: 2000, ListAliases.name: 500,
        ListResourceTags.name: 2000, ListGrants.name: 100, GetKeyLastUsage.name: 5, DisableKey.name: 5,
        EnableKey.name: 5, ScheduleKeyDeletion.name: 15, CancelKeyDeletion.name: 5,
        ConnectCustomKeyStore.name: 5, DisconnectCustomKeyStore.name: 5, DeleteCustomKeyStore.name: 5,
        UpdateCustomKeyStore.name: 5, CreateCustomKeyStore.name: 5, TagResource.name: 10,
        CreateKey.name: 50, CreateAlias.name: 50, CreateGrant.name: 50, Encrypt.name: 10_000, Decrypt.name: 10_000,
    ]

    /// The rate of an operation under this policy, nil when unlimited.
    func rate(for operation: OperationName) -> Double? {
        switch self {
        case .none: return nil
        case .aws(let multiplier): return Self.awsRates[operation].map { $0 * multiplier }
        }
    }
}
