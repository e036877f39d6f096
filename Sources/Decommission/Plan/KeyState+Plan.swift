import Foundation
import KMSAPI

extension KeyState {
    /// Not an AWS state: what a step records once KMS answers `NotFoundException` for the key.
    public static let deleted: KeyState = "Deleted"
    /// Not an AWS state: what a plan records for a key KMS described without a state.
    public static let unknown: KeyState = "Unknown"
}
