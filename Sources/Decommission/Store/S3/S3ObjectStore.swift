import Foundation
import KMSAPI

/// The real `ObjectStore`: one bucket through `S3Client`, every write with the chosen server-side
/// encryption (a plan names keys and principals).
public struct S3ObjectStore: ObjectStore {
    public let client: S3Client
    public let bucket: S3BucketName
    public let encryption: S3ServerSideEncryption?

    /// - Parameter encryption: the `--s3-sse` choice; nil leaves it to the bucket's default.
    public init(client: S3Client, bucket: S3BucketName, encryption: S3ServerSideEncryption?) {
        self.client = client
        self.bucket = bucket
        self.encryption = encryption
    }

    public var locationDescription: String { "\(S3ObjectLocation.scheme)\(bucket.rawValue)" }

    public func get(_ key: String) async throws -> StoredObject? {
        do {
            let object = try await client.getObject(bucket: bucket, key: key)
            guard let etag = object.etag else { throw Self.noETag("GetObject", key) }
            return StoredObject(body: object.body, etag: etag)
        } catch let error as KMSError where error.code == .s3NoSuchKey {
            return nil
        }
    }

    public func etag(_ key: String) async throws -> S3ETag? {
        do {
            guard let etag = try await client.headObject(bucket: bucket, key: key).etag else { throw Self.noETag("HeadObject", key) }
            return etag
        } catch let error as KMSError where error.code == .s3NotFound {
            // HEAD cannot tell a missing key from a missing bucket: ask GET, whose answer names it.
            return try await get(key)?.etag
        }
    }

    public func put(_ key: String, body: Data, condition: S3WriteCondition) async throws -> S3ETag {
        let result = try await client.putObject(
            bucket: bucket, key: key, body: body, contentType: "application/json", condition: condition, encryption: encryption)
        guard let etag = result.etag else { throw Self.noETag("PutObject", key) }
        return etag
    }

    public func delete(_ key: String, ifMatch: S3ETag?) async throws {
        _ = try await client.deleteObject(bucket: bucket, key: key, ifMatch: ifMatch)
    }

    public func list(prefix: String) async throws -> [String] {
        try await client.listObjects(bucket: bucket, prefix: prefix).map(\.key).sorted()
    }

    private static func noETag(_ operation: String, _ key: String) -> KMSError {
        KMSError(code: .invalidResponse, message: "\(operation) of '\(key)' answered without an ETag, which conditional writes need.")
    }
}
