import Foundation

/// The options a plan was made with.
public struct PlanOptions: Codable, Sendable, Equatable {
    public var pendingWindowDays: Int
    public var observeDays: Double
    public var minIdleDays: Double
    public var connect: Bool
    /// The `--accept` arguments, as given (`CODE` or `CODE:KEY`).
    public var accepted: [String]
    /// `--guard-hours`: the guard check is due this long before each DeletionDate (nil in plans
    /// made before guards existed: `defaultGuardHours`).
    public var guardHours: Double?
    /// `--cancel-on-use`: an attempted use seen by a guard cancels that key's deletion.
    public var cancelOnUse: Bool?
    /// `--cloudtrail-lag`: minutes every evidence window leaves out before now (nil: `defaultCloudTrailLagMinutes`).
    public var cloudTrailLagMinutes: Double?

    /// The guard span when a plan does not say.
    public static let defaultGuardHours = 24.0
    /// The CloudTrail delivery lag when a plan does not say.
    public static let defaultCloudTrailLagMinutes = 15.0

    public init(
        pendingWindowDays: Int = 30, observeDays: Double = 0, minIdleDays: Double = 30, connect: Bool = false, accepted: [String] = [],
        guardHours: Double? = nil, cancelOnUse: Bool? = nil, cloudTrailLagMinutes: Double? = nil
    ) {
        self.pendingWindowDays = pendingWindowDays
        self.observeDays = observeDays
        self.minIdleDays = minIdleDays
        self.connect = connect
        self.accepted = accepted
        self.guardHours = guardHours
        self.cancelOnUse = cancelOnUse
        self.cloudTrailLagMinutes = cloudTrailLagMinutes
    }

    /// The guard span in hours.
    public var effectiveGuardHours: Double { guardHours ?? Self.defaultGuardHours }
    /// Whether a guard cancels the deletion of a key with evidence.
    public var effectiveCancelOnUse: Bool { cancelOnUse ?? false }
    /// The CloudTrail lag in seconds.
    public var cloudTrailLag: TimeInterval { (cloudTrailLagMinutes ?? Self.defaultCloudTrailLagMinutes) * 60 }
}
