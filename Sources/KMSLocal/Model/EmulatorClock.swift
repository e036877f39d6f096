import Foundation
import Synchronization

/// The emulator's time: the injected wall clock plus an offset that `/_kms_local/advance` moves,
/// and the `--time-scale` divisor applied to every simulated duration.
final class EmulatorClock: Sendable {
    private let wallClock: @Sendable () -> Date
    private let offset = Mutex<TimeInterval>(0)
    /// Every simulated duration (waiting periods, connect times, deletion lag) is divided by this.
    let timeScale: Double

    init(now: @escaping @Sendable () -> Date, timeScale: Double) {
        self.wallClock = now
        self.timeScale = timeScale > 0 ? timeScale : 1
    }

    /// The current emulator time, which is also what timestamps in answers show.
    func now() -> Date {
        wallClock().addingTimeInterval(offset.withLock { $0 })
    }

    /// Moves the emulator clock forward (tests use it to reach deadlines without waiting).
    func advance(by seconds: TimeInterval) {
        offset.withLock { $0 += max(0, seconds) }
    }

    /// Returns how long a simulated duration really takes under the time scale.
    func scaled(_ seconds: TimeInterval) -> TimeInterval {
        seconds / timeScale
    }
}
