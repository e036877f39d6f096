/// An injected clock seen as nanoseconds since a fixed origin, so code that keeps schedules
/// (the rate limiter, call timings) can do exact integer arithmetic on `any Clock<Duration>`.
struct ClockTimeline: Sendable {
    /// Nanoseconds elapsed since the timeline was made.
    let now: @Sendable () -> Int64
    /// Suspends until the given offset (nanoseconds since the origin) has passed.
    let sleepUntil: @Sendable (Int64) async throws -> Void

    init(_ clock: any Clock<Duration>) {
        self = Self.make(clock)
    }

    private static func make<C: Clock<Duration>>(_ clock: C) -> ClockTimeline {
        let origin = clock.now
        return ClockTimeline(
            now: { origin.duration(to: clock.now).nanoseconds },
            sleepUntil: { offset in
                try await clock.sleep(until: origin.advanced(by: .nanoseconds(offset)), tolerance: nil)
            })
    }

    private init(now: @escaping @Sendable () -> Int64, sleepUntil: @escaping @Sendable (Int64) async throws -> Void) {
        self.now = now
        self.sleepUntil = sleepUntil
    }
}

extension Duration {
    /// The duration in whole nanoseconds, saturating at the bounds of `Int64`.
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? .min : .max }
        let (total, overflow2) = scaled.addingReportingOverflow(attoseconds / 1_000_000_000)
        if overflow2 { return seconds < 0 ? .min : .max }
        return total
    }
}
