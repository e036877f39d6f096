import Foundation

/// One guard in `status`: the keys deleted at one DeletionDate and whether their check is due,
/// passed or missed (a DeletionDate that passed unguarded is reported, never hidden).
public struct GuardLine: Codable, Sendable, Equatable {
    public var deletionDate: Date
    public var keyIDs: [String]
    /// When the guard span begins (`deletionDate - guardHours`).
    public var dueAt: Date
    /// `upcoming`, `due`, `passed` or `missed`.
    public var status: String
    public var lastCheckedAt: Date?

    enum CodingKeys: String, CodingKey { case deletionDate, keyIDs = "keyIds", dueAt, status, lastCheckedAt }

    init(_ group: GuardSchedule.Group) {
        deletionDate = group.deletionDate
        keyIDs = group.keyIDs
        dueAt = group.dueAt
        lastCheckedAt = group.lastCheckedAt
        switch group.status {
        case .upcoming: status = "upcoming"
        case .due: status = "due"
        case .passed: status = "passed"
        case .missed: status = "missed"
        }
    }
}
