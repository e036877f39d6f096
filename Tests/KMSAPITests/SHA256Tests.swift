import Foundation
import Testing

@testable import KMSAPI

/// The SHA-256 and HMAC-SHA256 vectors in `Fixtures/sha256-hmac.json`.
struct HashVectorFile: Decodable {
    struct Repeat: Decodable, Sendable {
        var byteHex: String
        var count: Int
        enum CodingKeys: String, CodingKey {
            case byteHex = "byte_hex"
            case count
        }
    }

    struct SHA256Vector: Decodable, Sendable, CustomTestStringConvertible {
        var name: String
        var messageHex: String?
        var messageRepeat: Repeat?
        var lengthBytes: Int
        var digestHex: String
        var testDescription: String { name }

        enum CodingKeys: String, CodingKey {
            case name
            case messageHex = "message_hex"
            case messageRepeat = "message_repeat"
            case lengthBytes = "length_bytes"
            case digestHex = "digest_hex"
        }

        /// The message bytes, expanding the repeated form.
        func message() throws -> [UInt8] {
            if let messageRepeat {
                let byte = try #require([UInt8](hexString: messageRepeat.byteHex)?.first)
                return [UInt8](repeating: byte, count: messageRepeat.count)
            }
            return try #require([UInt8](hexString: messageHex ?? ""))
        }
    }

    struct HMACVector: Decodable, Sendable, CustomTestStringConvertible {
        var name: String
        var keyHex: String
        var dataHex: String
        var truncateToBytes: Int?
        var expectedHex: String
        var fullMACHex: String
        var testDescription: String { name }

        enum CodingKeys: String, CodingKey {
            case name
            case keyHex = "key_hex"
            case dataHex = "data_hex"
            case truncateToBytes = "truncate_to_bytes"
            case expectedHex = "expected_hex"
            case fullMACHex = "full_mac_hex"
        }
    }

    var sha256: [SHA256Vector]
    var hmacSHA256: [HMACVector]
    var sha256Count: Int
    var hmacSHA256Count: Int

    enum CodingKeys: String, CodingKey {
        case sha256
        case hmacSHA256 = "hmac_sha256"
        case sha256Count = "sha256_count"
        case hmacSHA256Count = "hmac_sha256_count"
    }

    static func load() throws -> HashVectorFile {
        let url = try #require(Bundle.module.url(forResource: "sha256-hmac", withExtension: "json", subdirectory: "Fixtures"))
        return try JSONDecoder().decode(HashVectorFile.self, from: Data(contentsOf: url))
    }
}

struct SHA256Tests {
    @Test func fixtureHoldsEveryVector() throws {
        let file = try HashVectorFile.load()
        #expect(file.sha256.count == 16)
        #expect(file.sha256.count == file.sha256Count)
    }

    @Test(arguments: try HashVectorFile.load().sha256)
    func hashMatchesVector(_ vector: HashVectorFile.SHA256Vector) throws {
        let message = try vector.message()
        #expect(message.count == vector.lengthBytes)
        #expect(SHA256.hash(message).hexString == vector.digestHex)
        #expect(SHA256.hash(Data(message)).hexString == vector.digestHex)
    }

    @Test(arguments: [1, 3, 55, 63, 64, 65, 127, 1000])
    func incrementalUpdatesInChunksMatchVectors(chunkSize: Int) throws {
        for vector in try HashVectorFile.load().sha256 {
            let message = try vector.message()
            var hasher = SHA256()
            var start = 0
            while start < message.count {
                let end = min(start + chunkSize, message.count)
                hasher.update(message[start..<end])
                start = end
            }
            #expect(hasher.finalize().hexString == vector.digestHex, "\(vector.name) in \(chunkSize)-byte chunks")
        }
    }

    @Test func updateAcceptsNonContiguousSequences() {
        var hasher = SHA256()
        hasher.update("abc".utf8.lazy.map { $0 })
        #expect(hasher.finalize().hexString == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func updateWithDataMatchesArray() {
        var hasher = SHA256()
        hasher.update(data: Data("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
        #expect(hasher.finalize().hexString == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test func hexRoundTripsEveryByte() throws {
        let bytes = (0...255).map { UInt8($0) }
        let hex = bytes.hexString
        #expect(hex.hasPrefix("000102"))
        #expect(hex.hasSuffix("fdfeff"))
        #expect([UInt8](hexString: hex) == bytes)
        #expect([UInt8](hexString: hex.uppercased()) == bytes)
    }

    @Test(arguments: ["0", "abc", "zz", "0g", "12 34", "-1"])
    func hexDecoderRejectsInvalidText(_ text: String) {
        #expect([UInt8](hexString: text) == nil)
    }
}
