import Foundation
import KMSAPI

/// Rewrites KMS errors met while planning so they name what the operator must fix.
enum PlannerErrors {
    /// Returns an `AccessDeniedException` with a message naming the missing permission; other
    /// errors unchanged.
    static func naming(_ error: any Error, operation: OperationName) -> any Error {
        guard let kms = error as? KMSError, kms.code == .accessDenied else { return error }
        return KMSError(
            code: kms.code,
            message: "Access denied to kms:\(operation); planning needs it (read-only), so grant it to the caller and run plan again.",
            awsErrorType: kms.awsErrorType, httpStatus: kms.httpStatus, requestID: kms.requestID,
            retryability: kms.retryability, underlying: kms)
    }

    /// Runs one KMS call, naming the permission if access is denied (and `naming` holds).
    static func call<T>(_ operation: OperationName, naming: Bool = true, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            throw naming ? self.naming(error, operation: operation) : error
        }
    }
}
