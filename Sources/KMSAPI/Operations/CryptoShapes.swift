import Foundation

// Shapes of Encrypt and Decrypt (botocore KMS model 2014-11-01). Blobs are base64 on the wire,
// which is how `JSONEncoder` writes `Data`.

/// Input of `Encrypt`.
public struct EncryptRequest: Codable, Sendable, Equatable {
    public var keyID: String
    public var plaintext: Data
    public var encryptionContext: [String: String]?
    public init(keyID: String, plaintext: Data, encryptionContext: [String: String]? = nil) {
        self.keyID = keyID
        self.plaintext = plaintext
        self.encryptionContext = encryptionContext
    }
    enum CodingKeys: String, CodingKey {
        case keyID = "KeyId", plaintext = "Plaintext", encryptionContext = "EncryptionContext"
    }
}

/// Output of `Encrypt`.
public struct EncryptResponse: Codable, Sendable, Equatable {
    public var ciphertextBlob: Data?
    public var keyID: String?
    public var encryptionAlgorithm: String?
    public init(ciphertextBlob: Data? = nil, keyID: String? = nil, encryptionAlgorithm: String? = nil) {
        self.ciphertextBlob = ciphertextBlob
        self.keyID = keyID
        self.encryptionAlgorithm = encryptionAlgorithm
    }
    enum CodingKeys: String, CodingKey {
        case ciphertextBlob = "CiphertextBlob", keyID = "KeyId", encryptionAlgorithm = "EncryptionAlgorithm"
    }
}

/// Input of `Decrypt`.
public struct DecryptRequest: Codable, Sendable, Equatable {
    public var ciphertextBlob: Data
    public var keyID: String?
    public var encryptionContext: [String: String]?
    public init(ciphertextBlob: Data, keyID: String? = nil, encryptionContext: [String: String]? = nil) {
        self.ciphertextBlob = ciphertextBlob
        self.keyID = keyID
        self.encryptionContext = encryptionContext
    }
    enum CodingKeys: String, CodingKey {
        case ciphertextBlob = "CiphertextBlob", keyID = "KeyId", encryptionContext = "EncryptionContext"
    }
}

/// Output of `Decrypt`.
public struct DecryptResponse: Codable, Sendable, Equatable {
    public var keyID: String?
    public var plaintext: Data?
    public var encryptionAlgorithm: String?
    public init(keyID: String? = nil, plaintext: Data? = nil, encryptionAlgorithm: String? = nil) {
        self.keyID = keyID
        self.plaintext = plaintext
        self.encryptionAlgorithm = encryptionAlgorithm
    }
    enum CodingKeys: String, CodingKey {
        case keyID = "KeyId", plaintext = "Plaintext", encryptionAlgorithm = "EncryptionAlgorithm"
    }
}
