import TestSupport
import Synchronization

/// A clock whose sleeps return at once, moving its time forward and recording each requested
/// duration, so retry loops run instantly while tests still see the backoff they chose.
final class RecordingClock: Clock {
    typealias Instant = ManualClock.Instant

    private struct State {
        var now = Instant(offset: .zero)
        var sleeps: [Duration] = []
    }

    private let state = Mutex(State())

    var now: Instant { state.withLock { $0.now } }
    var minimumResolution: Duration { .zero }

    /// Every sleep requested so far, in order.
    var sleeps: [Duration] { state.withLock { $0.sleeps } }

    /// Time passed since the clock was made (the sum of the sleeps).
    var elapsed: Duration { now.offset }

    func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        try Task.checkCancellation()
        state.withLock { state in
            state.sleeps.append(state.now.duration(to: deadline))
            if state.now < deadline { state.now = deadline }
        }
    }
}
