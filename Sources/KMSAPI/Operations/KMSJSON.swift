import Foundation

/// The encoders and decoders of the KMS JSON 1.1 wire format.
///
/// Dates travel as epoch seconds (fractional allowed), blobs as base64, absent optionals are
/// omitted; an empty body decodes as an empty object, since `EnableKey` and friends answer with
/// `Content-Length: 0`.
public enum KMSJSON {
    /// Makes an encoder for request and response bodies.
    public static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// Makes a decoder for request and response bodies.
    public static func makeDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return decoder
    }

    /// Decodes a body, reading an empty one as `{}`.
    public static func decode<T: Decodable>(_ type: T.Type, from body: Data) throws -> T {
        let data = body.isEmpty ? Data("{}".utf8) : body
        return try makeDecoder().decode(type, from: data)
    }

    /// Encodes a value as a body.
    public static func encode<T: Encodable>(_ value: T) throws -> Data {
        try makeEncoder().encode(value)
    }
}
