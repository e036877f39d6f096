import Synchronization

/// A thread-safe source of random numbers for retry jitter, wrapping any `RandomNumberGenerator`.
///
/// Retry policies are shared between concurrent calls, so the generator lives behind a `Mutex`;
/// tests pass a seeded `SplitMix64` to make jitter reproducible.
public final class RandomSource: Sendable {
    private let generator: Mutex<any RandomNumberGenerator & Sendable>

    /// Wraps a generator.
    public init(_ generator: some RandomNumberGenerator & Sendable) {
        self.generator = Mutex(generator)
    }

    /// A source backed by the system's cryptographically secure generator.
    public static func system() -> RandomSource { RandomSource(SystemRandomNumberGenerator()) }

    /// A reproducible source seeded with `seed` (for tests and benchmarks).
    public static func seeded(_ seed: UInt64) -> RandomSource { RandomSource(SplitMix64(seed: seed)) }

    /// Returns a number drawn uniformly from `0...1`.
    public func nextUnit() -> Double {
        generator.withLock { generator in Double.random(in: 0...1, using: &generator) }
    }
}

/// Sebastiano Vigna's SplitMix64: a tiny, fast, seedable generator (not for secrets).
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// Creates a generator whose sequence is fixed by `seed`.
    public init(seed: UInt64) { self.state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
