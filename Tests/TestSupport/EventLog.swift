import Decommission
import Synchronization

/// Collects execution events from any task.
public final class EventLog: Sendable {
    private let events = Mutex<[ExecutionEvent]>([])
    public init() {}
    public func append(_ event: ExecutionEvent) { events.withLock { $0.append(event) } }
    public var all: [ExecutionEvent] { events.withLock { $0 } }
}
