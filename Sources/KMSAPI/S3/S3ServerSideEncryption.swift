import Foundation

/// How S3 encrypts an object it stores: the `x-amz-server-side-encryption` headers of PutObject.
public enum S3ServerSideEncryption: Sendable, Equatable {
    /// SSE-S3 (`AES256`): keys S3 manages.
    case s3Managed
    /// SSE-KMS (`aws:kms`): a KMS key, the account's `aws/s3` key when `keyID` is nil.
    case kms(keyID: String?)

    /// Reads the `--s3-sse MODE` and `--s3-sse-kms-key-id ID` options.
    /// - Parameters:
    ///   - mode: `aws:kms` or `AES256`; nil means the bucket's default encryption (nil is returned).
    ///   - kmsKeyID: a key id, ARN or alias; only valid with `aws:kms`.
    /// - Throws: `KMSError` with `s3.invalid-encryption` for another mode, or a key id without `aws:kms`.
    public static func parse(mode: String?, kmsKeyID: String?) throws -> S3ServerSideEncryption? {
        let keyID = kmsKeyID?.trimmingCharacters(in: .whitespaces)
        switch mode?.trimmingCharacters(in: .whitespaces) {
        case nil, "":
            guard keyID?.isEmpty ?? true else {
                throw KMSError(
                    code: .s3InvalidEncryption,
                    message: "--s3-sse-kms-key-id '\(keyID ?? "")' needs --s3-sse aws:kms; add it or drop the key id.")
            }
            return nil
        case "aws:kms":
            return .kms(keyID: keyID?.isEmpty == false ? keyID : nil)
        case "AES256":
            guard keyID?.isEmpty ?? true else {
                throw KMSError(
                    code: .s3InvalidEncryption,
                    message: "--s3-sse-kms-key-id only applies to --s3-sse aws:kms, not AES256; pick one.")
            }
            return .s3Managed
        case let other?:
            throw KMSError(
                code: .s3InvalidEncryption,
                message: "--s3-sse '\(other)' is not an S3 server-side encryption mode; use aws:kms or AES256.")
        }
    }

    /// The request headers that ask S3 for this encryption.
    public var headers: [(String, String)] {
        switch self {
        case .s3Managed:
            return [("x-amz-server-side-encryption", "AES256")]
        case .kms(let keyID):
            var headers = [("x-amz-server-side-encryption", "aws:kms")]
            if let keyID { headers.append(("x-amz-server-side-encryption-aws-kms-key-id", keyID)) }
            return headers
        }
    }
}
