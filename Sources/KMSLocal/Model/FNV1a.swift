/// FNV-1a, a fast non-cryptographic hash, to derive deterministic seeds from strings.
enum FNV1a {
    /// Returns the 64-bit FNV-1a hash of the bytes.
    static func hash<S: Sequence>(_ bytes: S) -> UInt64 where S.Element == UInt8 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return hash
    }
}
