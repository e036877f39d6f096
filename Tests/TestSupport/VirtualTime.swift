import Foundation
import Synchronization

/// The time of day in tests; the fast clock moves it forward instead of sleeping.
public final class VirtualTime: Sendable {
    // Read by the fake KMS, the executor's `now` and the clock from several tasks.
    private let value: Mutex<Date>
    public init(_ start: Date = Date(timeIntervalSince1970: 1_735_689_600)) { value = Mutex(start) }
    public func now() -> Date { value.withLock { $0 } }
    public func advance(by seconds: TimeInterval) { value.withLock { $0 = $0.addingTimeInterval(seconds) } }
    public func advance(to date: Date) { value.withLock { $0 = max($0, date) } }
}

/// An instant of the fast clock: seconds since the epoch as a Duration.
public struct VirtualInstant: InstantProtocol {
    public var offset: Duration
    public func advanced(by duration: Duration) -> VirtualInstant { VirtualInstant(offset: offset + duration) }
    public func duration(to other: VirtualInstant) -> Duration { other.offset - offset }
    public static func < (lhs: VirtualInstant, rhs: VirtualInstant) -> Bool { lhs.offset < rhs.offset }
}

/// A clock whose sleeps return at once after moving virtual time to the deadline.
public struct FastClock: Clock {
    public let time: VirtualTime
    public init(time: VirtualTime) { self.time = time }
    public var now: VirtualInstant {
        let seconds = time.now().timeIntervalSince1970
        return VirtualInstant(offset: .milliseconds(Int64(seconds * 1000)))
    }
    public var minimumResolution: Duration { .zero }
    public func sleep(until deadline: VirtualInstant, tolerance: Duration?) async throws {
        try Task.checkCancellation()
        let (seconds, attoseconds) = deadline.offset.components
        time.advance(to: Date(timeIntervalSince1970: Double(seconds) + Double(attoseconds) / 1e18))
        await Task.yield()
    }
}
