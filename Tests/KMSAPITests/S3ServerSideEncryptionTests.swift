import KMSAPI
import Testing

struct S3ServerSideEncryptionTests {
    @Test func readsTheOptions() throws {
        #expect(try S3ServerSideEncryption.parse(mode: nil, kmsKeyID: nil) == nil)
        #expect(try S3ServerSideEncryption.parse(mode: "aws:kms", kmsKeyID: nil) == .kms(keyID: nil))
        #expect(try S3ServerSideEncryption.parse(mode: "aws:kms", kmsKeyID: "alias/plans") == .kms(keyID: "alias/plans"))
        #expect(try S3ServerSideEncryption.parse(mode: "AES256", kmsKeyID: nil) == .s3Managed)
    }

    @Test(arguments: [("aws:kms:dsse", nil), ("kms", nil), (nil, "alias/plans"), ("AES256", "alias/plans")] as [(String?, String?)])
    func rejectsOthers(mode: String?, keyID: String?) {
        let error = #expect(throws: KMSError.self) { try S3ServerSideEncryption.parse(mode: mode, kmsKeyID: keyID) }
        #expect(error?.code == .s3InvalidEncryption)
    }

    @Test func namesTheHeaders() {
        #expect(S3ServerSideEncryption.kms(keyID: "k").headers.map(\.0) == [
            "x-amz-server-side-encryption", "x-amz-server-side-encryption-aws-kms-key-id",
        ])
        #expect(S3ServerSideEncryption.kms(keyID: nil).headers.map(\.1) == ["aws:kms"])
        #expect(S3ServerSideEncryption.s3Managed.headers.map(\.1) == ["AES256"])
    }
}
