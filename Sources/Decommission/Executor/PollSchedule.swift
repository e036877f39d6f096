import Foundation
import KMSAPI

/// Growing poll intervals for the await steps.
enum PollSchedule {
    /// Store connect/disconnect: about 2 s, doubling, capped at 60 s.
    static func storeInterval(check: Int) -> TimeInterval {
        min(60, 2 * pow(2, Double(max(0, check))))
    }

    /// Key deletion after its DeletionDate: 1, 2, 5, 15, 30 min, then hourly (KMS may be a day late).
    static func deletionInterval(check: Int) -> TimeInterval {
        let minutes: [TimeInterval] = [1, 2, 5, 15, 30, 60]
        return minutes[min(max(0, check), minutes.count - 1)] * 60
    }

    /// How many times DeleteCustomKeyStore is tried again while KMS still lists deleted keys.
    static let deleteStoreRetries = 4

    /// DeleteCustomKeyStore refused for keys KMS has not forgotten yet: 10, 20, 40, 80 s.
    static func deleteStoreInterval(retry: Int) -> TimeInterval {
        5 * pow(2, Double(max(0, retry) + 1))
    }

    /// How late KMS may delete a key before a warning is raised.
    static let deletionLateness: TimeInterval = 24 * 3600
}
