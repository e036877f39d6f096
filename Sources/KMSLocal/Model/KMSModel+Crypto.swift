import Foundation
import KMSAPI

// MARK: - Encrypt and Decrypt.
//
// The ciphertext is NOT cryptography: it is "KLC1", the key id, a hash of the encryption context
// and the plaintext XORed with a SplitMix64 stream. It exists so Decrypt can find the key and the
// tool under test can exercise state rules and last-usage tracking.

extension KMSModel {
    static let magic = Data("KLC1".utf8)

    /// Encrypts; `operation` is what last-usage records (GenerateDataKey encrypts through here).
    func encrypt(_ input: EncryptRequest, requestID: String, operation: String = "Encrypt") throws(ServiceError) -> EncryptResponse {
        let eventID = freshID()
        return try withState { (state, now) throws(ServiceError) in
            if input.plaintext.isEmpty {
                throw .validation("Value at 'plaintext' failed to satisfy constraint: Member must have length greater than or equal to 1")
            }
            if input.plaintext.count > 4096 {
                throw .validation("Value at 'plaintext' failed to satisfy constraint: Member must have length less than or equal to 4096")
            }
            let id = try state.resolveKeyID(input.keyID, allowAlias: true)
            try state.check(.encrypt, keyID: id)
            let contextHash = Self.hash(input.encryptionContext)
            var blob = Self.magic
            let idBytes = Data(id.utf8)
            blob.append(UInt8(idBytes.count))
            blob.append(idBytes)
            withUnsafeBytes(of: contextHash.bigEndian) { blob.append(contentsOf: $0) }
            blob.append(Self.xor(input.plaintext, keyID: id, contextHash: contextHash))
            state.keys[id]?.lastUsage = UsageRecord(operation: operation, timestamp: now, requestID: requestID, cloudTrailEventID: eventID)
            return EncryptResponse(ciphertextBlob: blob, keyID: state.keyArn(id), encryptionAlgorithm: "SYMMETRIC_DEFAULT")
        }
    }

    func decrypt(_ input: DecryptRequest, requestID: String) throws(ServiceError) -> DecryptResponse {
        let eventID = freshID()
        return try withState { (state, now) throws(ServiceError) in
            let invalid = ServiceError(
                "InvalidCiphertextException",
                "The ciphertext is not valid for this key or encryption context; pass the blob Encrypt returned unchanged.")
            let blob = input.ciphertextBlob
            guard blob.count > 13, blob.prefix(4) == Self.magic else { throw invalid }
            let idLength = Int(blob[blob.startIndex + 4])
            let idStart = blob.startIndex + 5
            guard blob.count >= 5 + idLength + 8,
                let embeddedID = String(data: blob[idStart..<idStart + idLength], encoding: .utf8)
            else { throw invalid }
            let hashStart = idStart + idLength
            let storedHash = blob[hashStart..<hashStart + 8].reduce(UInt64(0)) { ($0 << 8) | UInt64($1) }
            if let requested = input.keyID {
                let id = try state.resolveKeyID(requested, allowAlias: true)
                if id != embeddedID {
                    throw ServiceError("IncorrectKeyException", "The key ID in the request does not identify a KMS key that can perform this operation.")
                }
            }
            guard state.keys[embeddedID] != nil else { throw .keyNotFound(arn: state.keyArn(embeddedID)) }
            try state.check(.decrypt, keyID: embeddedID)
            let contextHash = Self.hash(input.encryptionContext)
            guard contextHash == storedHash else { throw invalid }
            let plaintext = Self.xor(Data(blob[(hashStart + 8)...]), keyID: embeddedID, contextHash: contextHash)
            state.keys[embeddedID]?.lastUsage = UsageRecord(
                operation: "Decrypt", timestamp: now, requestID: requestID, cloudTrailEventID: eventID)
            return DecryptResponse(keyID: state.keyArn(embeddedID), plaintext: plaintext, encryptionAlgorithm: "SYMMETRIC_DEFAULT")
        }
    }

    private static func hash(_ context: [String: String]?) -> UInt64 {
        let canonical = (context ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "\n")
        return FNV1a.hash(Data(canonical.utf8))
    }

    private static func xor(_ data: Data, keyID: String, contextHash: UInt64) -> Data {
        var generator = SplitMix64(seed: FNV1a.hash(Data(keyID.utf8)) ^ contextHash)
        var output = Data(capacity: data.count)
        var word: UInt64 = 0
        for (index, byte) in data.enumerated() {
            if index % 8 == 0 { word = generator.next() }
            output.append(byte ^ UInt8(truncatingIfNeeded: word >> (8 * UInt64(index % 8))))
        }
        return output
    }
}

extension KMSModel {
    /// The key id a kms-local ciphertext names, nil for any other blob (CloudTrail's resource of a Decrypt).
    static func embeddedKeyID(in blob: Data) -> String? {
        guard blob.count > 5, blob.prefix(4) == magic else { return nil }
        let length = Int(blob[blob.startIndex + 4])
        let start = blob.startIndex + 5
        guard blob.count >= 5 + length else { return nil }
        return String(data: blob[start..<start + length], encoding: .utf8)
    }

    /// The ARN of the key a KeyId parameter names (id, ARN, alias), nil when there is none.
    func keyARN(for reference: String) -> String? {
        try? withState { (state, _) throws(ServiceError) in
            state.keyArn(try state.resolveKeyID(reference, allowAlias: true))
        }
    }
}
