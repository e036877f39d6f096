import Foundation
import KMSAPI
import Testing

struct S3ObjectLocationTests {
    @Test(arguments: [
        ("s3://plans-bucket/plan.json", "plans-bucket", "plan.json", S3ObjectLocation.Kind.object),
        ("s3://plans-bucket/team/a/plan.json", "plans-bucket", "team/a/plan.json", .object),
        ("s3://plans-bucket/team/", "plans-bucket", "team/", .prefix),
        ("s3://plans-bucket/", "plans-bucket", "", .prefix),
        ("s3://my.plans/x y/ü.json", "my.plans", "x y/ü.json", .object),
    ])
    func parsesObjectsAndPrefixes(text: String, bucket: String, key: String, kind: S3ObjectLocation.Kind) throws {
        let location = try S3ObjectLocation(parsing: text)
        #expect(location.bucket.rawValue == bucket)
        #expect(location.key == key)
        #expect(location.kind == kind)
        #expect(location.description == text)
    }

    @Test(arguments: [
        ("s3:/plans-bucket/plan.json", "exactly 's3://'"),
        ("S3://plans-bucket/plan.json", "exactly 's3://'"),
        ("gs://plans-bucket/plan.json", "does not start with 's3://'"),
        ("https://plans-bucket/plan.json", "does not start with 's3://'"),
        ("s3://", "names no bucket"),
        ("s3:///plan.json", "names no bucket"),
        ("s3://plans-bucket", "names no key"),
        ("s3://ab/plan.json", "not a valid bucket name"),
        ("s3://-bucket/plan.json", "not a valid bucket name"),
        ("s3://bucket!/plan.json", "not a valid bucket name"),
        ("s3://plans-bucket/plan.txt", "neither a plan object"),
        ("s3://plans-bucket/plan", "neither a plan object"),
        ("s3://plans-bucket//plan.json", "empty segment"),
        ("s3://plans-bucket/a//", "empty segment"),
        ("s3://plans-bucket/a/../plan.json", "'..' segment"),
        ("s3://plans-bucket/a\u{7}.json", "control character"),
    ])
    func rejectsWhatItDoesNotUnderstand(text: String, reason: String) {
        let error = #expect(throws: KMSError.self) { try S3ObjectLocation(parsing: text) }
        #expect(error?.code == .s3InvalidLocation)
        #expect(error?.message.contains(reason) == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("'\(text)'") == true)
    }

    @Test func rejectsAKeyLongerThanS3Allows() throws {
        let text = "s3://plans-bucket/" + String(repeating: "k", count: 1020) + ".json"
        let error = #expect(throws: KMSError.self) { try S3ObjectLocation(parsing: text) }
        #expect(error?.message.contains("longer than") == true)
        _ = try S3ObjectLocation(parsing: "s3://plans-bucket/" + String(repeating: "k", count: 1019) + ".json")
    }

    @Test func recognisesS3TextSoItIsNotTakenForAPath() {
        #expect(S3ObjectLocation.isS3Location("s3://b/p.json"))
        #expect(S3ObjectLocation.isS3Location("S3:/b"))
        #expect(!S3ObjectLocation.isS3Location("plans/s3.json"))
        #expect(!S3ObjectLocation.isS3Location("./s3:/x"))
    }

    @Test func makesSiblingLocations() throws {
        let plan = try S3ObjectLocation(parsing: "s3://plans-bucket/team/plan.json")
        let lock = plan.replacingKey(with: "team/plan.lock")
        #expect(lock.description == "s3://plans-bucket/team/plan.lock")
        #expect(lock.kind == .object)
    }
}
