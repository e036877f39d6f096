import Foundation

extension Sequence where Element == UInt8 {
    /// The bytes as lowercase hexadecimal, two digits per byte.
    public var hexString: String {
        let bytes = Array(self)
        return String(unsafeUninitializedCapacity: bytes.count * 2) { buffer in
            var index = 0
            for byte in bytes {
                buffer[index] = HexDigits.digits[Int(byte >> 4)]
                buffer[index + 1] = HexDigits.digits[Int(byte & 0x0f)]
                index += 2
            }
            return index
        }
    }
}

extension Array where Element == UInt8 {
    /// Decodes hexadecimal text (either case, even length, no separators); nil if it is not hex.
    public init?(hexString: some StringProtocol) {
        let utf8 = Array(hexString.utf8)
        guard utf8.count % 2 == 0 else { return nil }
        var bytes = [UInt8]()
        bytes.reserveCapacity(utf8.count / 2)
        var index = 0
        while index < utf8.count {
            guard let high = HexDigits.value(of: utf8[index]), let low = HexDigits.value(of: utf8[index + 1]) else {
                return nil
            }
            bytes.append(high << 4 | low)
            index += 2
        }
        self = bytes
    }
}

/// Hexadecimal digit tables shared by the encoder and decoder.
enum HexDigits {
    static let digits: [UInt8] = Array("0123456789abcdef".utf8)

    /// The value of one ASCII hex digit, or nil.
    static func value(of digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
