import Foundation
import Testing

@testable import KMSAPI

struct HMACTests {
    @Test func fixtureHoldsEveryVector() throws {
        let file = try HashVectorFile.load()
        #expect(file.hmacSHA256.count == 10)
        #expect(file.hmacSHA256.count == file.hmacSHA256Count)
    }

    @Test(arguments: try HashVectorFile.load().hmacSHA256)
    func authenticateMatchesVector(_ vector: HashVectorFile.HMACVector) throws {
        let key = try #require([UInt8](hexString: vector.keyHex))
        let data = try #require([UInt8](hexString: vector.dataHex))
        let mac = HMACSHA256.authenticate(data, key: key)
        #expect(mac.count == 32)
        #expect(mac.hexString == vector.fullMACHex)
        let published = vector.truncateToBytes.map { Array(mac.prefix($0)) } ?? mac
        #expect(published.hexString == vector.expectedHex)
    }

    @Test(arguments: try HashVectorFile.load().hmacSHA256)
    func dataAndStringOverloadsAgree(_ vector: HashVectorFile.HMACVector) throws {
        let key = try #require([UInt8](hexString: vector.keyHex))
        let data = try #require([UInt8](hexString: vector.dataHex))
        #expect(HMACSHA256.authenticate(Data(data), key: key).hexString == vector.fullMACHex)
        if let text = String(validating: data, as: UTF8.self) {
            #expect(HMACSHA256.authenticate(text, key: key).hexString == vector.fullMACHex)
        }
    }
}
