import Foundation
import KMSAPI

/// A guard check done before a point of no return: which DeletionDate it guarded, and when.
public struct GuardCheck: Sendable, Equatable {
    public var deletionDate: Date
    public var checkedAt: Date

    public init(deletionDate: Date, checkedAt: Date) {
        self.deletionDate = deletionDate
        self.checkedAt = checkedAt
    }
}

/// Where a guard stands.
public enum GuardStatus: Sendable, Equatable {
    /// The guard span has not begun: the check is due at `dueAt`.
    case upcoming
    /// Inside the span and not checked yet.
    case due
    /// Checked inside the span (last at the date given); inside the span it is checked again at each resume.
    case passed(lastCheckedAt: Date)
    /// The DeletionDate passed with no check inside the span: reported, never hidden.
    case missed
}

/// The guard checks of a plan: one per group of keys sharing a DeletionDate, due `guardHours` before it.
///
/// Inside a group's span (from `dueAt` to its DeletionDate) every resume checks it again; a run
/// that waits through the span checks once more at `finalCheckAt`. `nextCheckAt` is the instant a
/// `75` exit should name so that a cron loop wakes for both.
public struct GuardSchedule: Sendable, Equatable {
    /// The keys deleted at one instant, and their guard.
    public struct Group: Sendable, Equatable {
        public var deletionDate: Date
        /// Sorted key ids.
        public var keyIDs: [String]
        /// When the guard span begins: `deletionDate - guardHours`.
        public var dueAt: Date
        /// When a waiting run checks one last time: late, but early enough to read every key first.
        public var finalCheckAt: Date
        public var status: GuardStatus
        /// Whether `now` is inside the span, so a resume checks this group.
        public var isInSpan: Bool
        /// The last check inside the span.
        public var lastCheckedAt: Date?
    }

    /// Groups ordered by DeletionDate.
    public var groups: [Group]
    /// The next instant a guard check falls due after `now`, nil when none will.
    public var nextCheckAt: Date?

    /// The groups whose span holds `now`: a resume checks each of them.
    public var groupsToCheck: [Group] { groups.filter(\.isInSpan) }
    /// The groups whose DeletionDate passed unguarded.
    public var missed: [Group] { groups.filter { $0.status == .missed } }

    /// Builds the schedule at `now`.
    /// - Parameters:
    ///   - deletions: each key id's DeletionDate.
    ///   - guardHours: `--guard-hours` (negative counts as 0).
    ///   - finalCheckLead: seconds before a DeletionDate for the last check (see `finalCheckLead(keys:margin:)`).
    ///   - checks: the checks done so far.
    public static func make(
        deletions: [String: Date], guardHours: Double, finalCheckLead: TimeInterval, checks: [GuardCheck], now: Date
    ) -> GuardSchedule {
        let span = max(0, guardHours) * 3600
        var byDate: [Date: [String]] = [:]
        for (key, date) in deletions { byDate[date, default: []].append(key) }
        let groups = byDate.sorted { $0.key < $1.key }.map { date, keys in
            let dueAt = date.addingTimeInterval(-span)
            let last = checks.filter { $0.deletionDate == date && $0.checkedAt >= dueAt && $0.checkedAt < date }
                .map(\.checkedAt).max()
            let status: GuardStatus
            if now < dueAt {
                status = .upcoming
            } else if let last {
                status = .passed(lastCheckedAt: last)
            } else {
                status = now < date ? .due : .missed
            }
            return Group(
                deletionDate: date, keyIDs: keys.sorted(), dueAt: dueAt,
                finalCheckAt: max(dueAt, date.addingTimeInterval(-max(0, finalCheckLead))), status: status,
                isInSpan: now >= dueAt && now < date, lastCheckedAt: last)
        }
        let next = groups.compactMap { group -> Date? in
            if now < group.dueAt { return group.dueAt }
            let checkedLate = group.lastCheckedAt.map { $0 >= group.finalCheckAt } ?? false
            return group.isInSpan && now < group.finalCheckAt && !checkedLate ? group.finalCheckAt : nil
        }.min()
        return GuardSchedule(groups: groups, nextCheckAt: next)
    }

    /// The lead a last check needs: reading `keys` keys at the CloudTrail quota, plus `margin` seconds.
    public static func finalCheckLead(keys: Int, margin: TimeInterval) -> TimeInterval {
        let quota = RateLimiter.cloudTrailQuotas[LookupEvents.name] ?? 2
        return Double(max(0, keys)) / quota + max(0, margin)
    }
}
