import Foundation

/// The one place plan, journal and audit JSON encoders and decoders are made.
public enum JSONCoding {
    /// Makes the encoder for files a person reads: sorted keys, indented, ISO-8601 UTC dates.
    public static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }

    /// Makes the encoder for one-line records (journal, audit log) and fingerprints.
    public static func makeCompactEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }

    /// Makes the decoder matching both encoders.
    public static func makeDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
