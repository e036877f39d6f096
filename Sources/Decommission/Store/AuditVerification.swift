import Foundation
import KMSAPI
import Synchronization

/// The result of checking an audit log's hash chain.
public enum AuditVerification: Sendable, Equatable {
    /// Every record chains to the one before; `count` records.
    case ok(count: Int)
    /// The chain breaks at 1-based `line`.
    case broken(line: Int, reason: String)
}
