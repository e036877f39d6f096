import Foundation
import KMSAPI

/// The few S3 operations the S3 plan storage needs, on one bucket: the seam between
/// `S3PlanStorage` and `S3Client` (an in-memory fake in TestSupport, `S3ObjectStore` for real).
///
/// Writes are conditional as S3's are: a failed condition is `KMSError` `s3.precondition-failed`
/// (or `s3.conditional-request-conflict` when another conditional write was in progress).
public protocol ObjectStore: Sendable {
    /// `s3://BUCKET`, for messages.
    var locationDescription: String { get }
    /// Reads an object; nil when no object has the key.
    func get(_ key: String) async throws -> StoredObject?
    /// Reads an object's entity tag; nil when no object has the key.
    func etag(_ key: String) async throws -> S3ETag?
    /// Writes an object on a condition and returns its new entity tag.
    func put(_ key: String, body: Data, condition: S3WriteCondition) async throws -> S3ETag
    /// Deletes an object, only if it is still `ifMatch` when given; a missing key is no error.
    func delete(_ key: String, ifMatch: S3ETag?) async throws
    /// Every key that starts with `prefix`, in key order.
    func list(prefix: String) async throws -> [String]
}

/// Whether an error is S3's answer that a write's condition did not hold.
func isS3ConditionFailure(_ error: any Error) -> Bool {
    guard let error = error as? KMSError else { return false }
    return error.code == .s3PreconditionFailed || error.code == .s3ConditionalRequestConflict
}
