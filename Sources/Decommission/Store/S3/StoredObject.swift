import Foundation
import KMSAPI

/// An object in an `ObjectStore`: its bytes and the entity tag to make the next write conditional on.
public struct StoredObject: Sendable, Equatable {
    public var body: Data
    public var etag: S3ETag

    public init(body: Data, etag: S3ETag) {
        self.body = body
        self.etag = etag
    }
}
