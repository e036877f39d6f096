import Foundation

/// HMAC-SHA256 as specified in RFC 2104 and RFC 4231.
public enum HMACSHA256 {
    /// Returns the 32-byte HMAC-SHA256 of `data` under `key`; keys longer than 64 bytes are hashed first.
    public static func authenticate(_ data: [UInt8], key: [UInt8]) -> [UInt8] {
        data.withUnsafeBytes { authenticate($0, key: key) }
    }

    /// Returns the 32-byte HMAC-SHA256 of `data` under `key`; keys longer than 64 bytes are hashed first.
    public static func authenticate(_ data: Data, key: [UInt8]) -> [UInt8] {
        data.withUnsafeBytes { authenticate($0, key: key) }
    }

    /// Returns the 32-byte HMAC-SHA256 of the UTF-8 bytes of `text` under `key`.
    public static func authenticate(_ text: String, key: [UInt8]) -> [UInt8] {
        var text = text
        return text.withUTF8 { authenticate(UnsafeRawBufferPointer($0), key: key) }
    }

    /// Returns the 32-byte HMAC-SHA256 of raw bytes under `key`.
    public static func authenticate(_ data: UnsafeRawBufferPointer, key: [UInt8]) -> [UInt8] {
        var blockKey = key.count > SHA256.blockByteCount ? SHA256.hash(key) : key
        blockKey.append(contentsOf: repeatElement(0, count: SHA256.blockByteCount - blockKey.count))

        var innerPad = blockKey
        var outerPad = blockKey
        for index in blockKey.indices {
            innerPad[index] ^= 0x36
            outerPad[index] ^= 0x5c
        }

        var inner = SHA256()
        inner.update(innerPad)
        inner.update(data)
        let innerDigest = inner.finalize()

        var outer = SHA256()
        outer.update(outerPad)
        outer.update(innerDigest)
        return outer.finalize()
    }
}
