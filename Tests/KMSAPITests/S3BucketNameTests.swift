import KMSAPI
import Testing

struct S3BucketNameTests {
    @Test(arguments: ["abc", "plans-bucket", "my.plans.2026", "Legacy_Bucket", String(repeating: "a", count: 255)])
    func acceptsNamesS3Could(name: String) {
        #expect(S3BucketName(rawValue: name) != nil)
    }

    @Test(arguments: ["ab", "-abc", "abc-", ".abc", "a b c", "abc/d", "ábc", String(repeating: "a", count: 256)])
    func rejectsOthers(name: String) {
        #expect(S3BucketName(rawValue: name) == nil)
    }

    @Test(arguments: [
        ("plans-bucket", true, true), ("my.plans", false, true), ("Legacy_Bucket", false, false),
        ("a..b", false, false), ("a.-b", false, false), ("192.168.1.1", false, false),
        (String(repeating: "a", count: 64), false, false),
    ])
    func knowsWhichNamesAreVirtualHostable(name: String, overTLS: Bool, overHTTP: Bool) throws {
        let bucket = try #require(S3BucketName(rawValue: name))
        #expect(bucket.isVirtualHostable(overTLS: true) == overTLS)
        #expect(bucket.isVirtualHostable(overTLS: false) == overHTTP)
    }
}
