import Foundation
import KMSAPI

// MARK: - GenerateDataKey and GenerateDataKeyWithoutPlaintext.
//
// The data key is pseudo-random bytes (SplitMix64 over a fresh id), encrypted with the same
// stand-in cipher as Encrypt, so Decrypt of the returned blob gives the plaintext back.

extension KMSModel {
    func generateDataKey(
        _ input: GenerateDataKeyRequest, requestID: String, withPlaintext: Bool
    ) throws(ServiceError) -> GenerateDataKeyResponse {
        let length = try Self.dataKeyLength(input)
        var generator = SplitMix64(seed: FNV1a.hash(Data(freshID().utf8)))
        var bytes = Data(capacity: length)
        while bytes.count < length {
            withUnsafeBytes(of: generator.next()) { bytes.append(contentsOf: $0.prefix(length - bytes.count)) }
        }
        // Checked here so the error names GenerateDataKey's state rule before any encryption.
        let id = try withState { (state, _) throws(ServiceError) in
            let id = try state.resolveKeyID(input.keyID, allowAlias: true)
            try state.check(.generateDataKey, keyID: id)
            return id
        }
        let encrypted = try encrypt(
            EncryptRequest(keyID: id, plaintext: bytes, encryptionContext: input.encryptionContext), requestID: requestID,
            operation: withPlaintext ? GenerateDataKey.name.rawValue : GenerateDataKeyWithoutPlaintext.name.rawValue)
        return GenerateDataKeyResponse(
            ciphertextBlob: encrypted.ciphertextBlob, plaintext: withPlaintext ? bytes : nil, keyID: encrypted.keyID)
    }

    /// `NumberOfBytes` (1-1024) or `KeySpec` (`AES_256`, `AES_128`), exactly one of them.
    private static func dataKeyLength(_ input: GenerateDataKeyRequest) throws(ServiceError) -> Int {
        switch (input.keySpec, input.numberOfBytes) {
        case (nil, nil):
            throw .validation("Please specify either number of bytes or key spec.")
        case (.some, .some):
            throw .validation("Please specify either number of bytes or key spec, not both.")
        case (nil, .some(let count)):
            if count < 1 { throw .tooSmall("numberOfBytes", value: count, minimum: 1) }
            if count > 1024 { throw .tooLarge("numberOfBytes", value: count, maximum: 1024) }
            return count
        case (.some(let spec), nil):
            switch spec {
            case "AES_256": return 32
            case "AES_128": return 16
            default:
                throw .validation("Value '\(spec)' at 'keySpec' failed to satisfy constraint: Member must satisfy enum value set: [AES_256, AES_128]")
            }
        }
    }
}
