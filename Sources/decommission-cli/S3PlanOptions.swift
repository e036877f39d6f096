import Decommission
import Foundation
import KMSAPI

/// The options of the commands that write a plan to S3 (`plan`, `apply`): server-side encryption.
struct S3PlanOptions: Sendable {
    /// The option declarations, for the commands' specs and help.
    static let specs: [OptionSpec] = [
        .value("--s3-sse", "aws:kms|AES256", "Server-side encryption of the objects written for an s3:// plan (default: the bucket's)."),
        .value("--s3-sse-kms-key-id", "KEY", "The KMS key for --s3-sse aws:kms (default: the account's aws/s3 key)."),
    ]

    var mode: String?
    var kmsKeyID: String?

    init(_ parsed: ParsedCommandLine) {
        mode = parsed.values["--s3-sse"]?.last
        kmsKeyID = parsed.values["--s3-sse-kms-key-id"]?.last
    }

    /// The encryption asked for; nil leaves it to the bucket.
    /// - Throws: `KMSError` with `s3.invalid-encryption`.
    func encryption() throws -> S3ServerSideEncryption? {
        try S3ServerSideEncryption.parse(mode: mode, kmsKeyID: kmsKeyID)
    }
}
