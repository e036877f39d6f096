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

    /// Default requests per second of each operation: the client's table (reference section 7),
    /// so what kms-local enforces and what the client paces at can never drift apart.
    /// CloudTrail's `LookupEvents` quota comes from the client's CloudTrail table the same way.
    public static let awsRates: [OperationName: Double] = KMSAPI.RateLimiter.kmsQuotas
        .merging(KMSAPI.RateLimiter.cloudTrailQuotas) { kms, _ in kms }

    /// The rate of an operation under this policy, nil when unlimited.
    func rate(for operation: OperationName) -> Double? {
        switch self {
        case .none: return nil
        case .aws(let multiplier): return Self.awsRates[operation].map { $0 * multiplier }
        }
    }
}
