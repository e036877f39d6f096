import Foundation

/// An object's entity tag exactly as S3 sent it (quotes included), for `If-Match`.
public struct S3ETag: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The tag with its quotes, as in the `ETag` header.
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }
}

/// The condition a write or delete is made on, S3's optimistic concurrency.
public enum S3WriteCondition: Sendable, Equatable {
    /// No condition: the last writer wins.
    case none
    /// `If-None-Match: *`: only if no object has the key (one of two racing creators wins).
    case objectAbsent
    /// `If-Match: ETAG`: only if the object is still the version that was read.
    case etagMatches(S3ETag)
}

/// What HeadObject (and GetObject) tell about an object.
public struct S3ObjectMetadata: Sendable, Equatable {
    /// The entity tag, nil only if the service sent none.
    public var etag: S3ETag?
    /// The size in bytes.
    public var contentLength: Int?
    /// The `Content-Type` stored with the object.
    public var contentType: String?
    /// When the object was last written (`Last-Modified`).
    public var lastModified: Date?
    /// The version id, when the bucket is versioned.
    public var versionID: String?
    /// `AES256`, `aws:kms` or `aws:kms:dsse`, as S3 reports it.
    public var serverSideEncryption: String?
    /// The KMS key ARN of an SSE-KMS object.
    public var sseKMSKeyID: String?
    /// The request id of the answer.
    public var requestID: String?

    public init(
        etag: S3ETag? = nil, contentLength: Int? = nil, contentType: String? = nil, lastModified: Date? = nil,
        versionID: String? = nil, serverSideEncryption: String? = nil, sseKMSKeyID: String? = nil,
        requestID: String? = nil
    ) {
        self.etag = etag
        self.contentLength = contentLength
        self.contentType = contentType
        self.lastModified = lastModified
        self.versionID = versionID
        self.serverSideEncryption = serverSideEncryption
        self.sseKMSKeyID = sseKMSKeyID
        self.requestID = requestID
    }
}

/// An object read with GetObject: its bytes and its metadata (ETag included).
public struct S3Object: Sendable, Equatable {
    /// The object's bytes.
    public var body: Data
    /// What the answer's headers said about the object.
    public var metadata: S3ObjectMetadata
    /// The entity tag of the bytes read, for a later `If-Match`.
    public var etag: S3ETag? { metadata.etag }

    public init(body: Data, metadata: S3ObjectMetadata) {
        self.body = body
        self.metadata = metadata
    }
}

/// What PutObject and DeleteObject answer.
public struct S3WriteResult: Sendable, Equatable {
    /// The new object's entity tag (PutObject); nil for a delete.
    public var etag: S3ETag?
    /// The version id, when the bucket is versioned.
    public var versionID: String?
    /// The request id of the answer.
    public var requestID: String?

    public init(etag: S3ETag? = nil, versionID: String? = nil, requestID: String? = nil) {
        self.etag = etag
        self.versionID = versionID
        self.requestID = requestID
    }
}

/// One object in a ListObjectsV2 answer.
public struct S3ObjectSummary: Sendable, Equatable {
    /// The full key, URL-decoded.
    public var key: String
    /// The entity tag, as in HeadObject.
    public var etag: S3ETag?
    /// The size in bytes.
    public var size: Int?
    /// When the object was last written.
    public var lastModified: Date?

    public init(key: String, etag: S3ETag? = nil, size: Int? = nil, lastModified: Date? = nil) {
        self.key = key
        self.etag = etag
        self.size = size
        self.lastModified = lastModified
    }
}

/// One page of ListObjectsV2.
public struct S3ListPage: Sendable, Equatable {
    /// The objects on this page, in key order.
    public var objects: [S3ObjectSummary]
    /// The common prefixes, when a delimiter was given.
    public var commonPrefixes: [String]
    /// The token for the next page; nil on the last page.
    public var nextContinuationToken: String?

    public init(objects: [S3ObjectSummary], commonPrefixes: [String] = [], nextContinuationToken: String? = nil) {
        self.objects = objects
        self.commonPrefixes = commonPrefixes
        self.nextContinuationToken = nextContinuationToken
    }
}
