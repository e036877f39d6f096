import Foundation

// Shapes of GenerateDataKey and GenerateDataKeyWithoutPlaintext (botocore KMS model 2014-11-01).

/// Input of `GenerateDataKey` and `GenerateDataKeyWithoutPlaintext`: `KeySpec` or `NumberOfBytes`.
public struct GenerateDataKeyRequest: Codable, Sendable, Equatable {
    public var keyID: String
    /// `AES_256` (32 bytes) or `AES_128` (16 bytes).
    public var keySpec: String?
    /// 1 to 1024.
    public var numberOfBytes: Int?
    public var encryptionContext: [String: String]?
    public init(keyID: String, keySpec: String? = nil, numberOfBytes: Int? = nil, encryptionContext: [String: String]? = nil) {
        self.keyID = keyID
        self.keySpec = keySpec
        self.numberOfBytes = numberOfBytes
        self.encryptionContext = encryptionContext
    }
    enum CodingKeys: String, CodingKey {
        case keyID = "KeyId", keySpec = "KeySpec", numberOfBytes = "NumberOfBytes", encryptionContext = "EncryptionContext"
    }
}

/// Output of `GenerateDataKey` (and, without `plaintext`, of `GenerateDataKeyWithoutPlaintext`).
public struct GenerateDataKeyResponse: Codable, Sendable, Equatable {
    public var ciphertextBlob: Data?
    public var plaintext: Data?
    public var keyID: String?
    public init(ciphertextBlob: Data? = nil, plaintext: Data? = nil, keyID: String? = nil) {
        self.ciphertextBlob = ciphertextBlob
        self.plaintext = plaintext
        self.keyID = keyID
    }
    enum CodingKeys: String, CodingKey {
        case ciphertextBlob = "CiphertextBlob", plaintext = "Plaintext", keyID = "KeyId"
    }
}
