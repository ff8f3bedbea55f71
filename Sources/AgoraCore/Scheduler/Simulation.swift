/// A discrete-event simulation clock over an ``EventQueue``.
///
/// Handlers pull events with ``next(until:)`` and schedule new ones; the clock advances to each event's time.
/// Payloads are small value types (an enum per model), so the hot path never allocates closures.
public struct Simulation<Payload> {
  @usableFromInline var _now: Double = 0
  /// The current simulation time.
  @inlinable public var now: Double { _now }
  @usableFromInline var queue = EventQueue<Payload>()
  @usableFromInline var _processed: Int = 0
  /// The number of events processed so far.
  @inlinable public var processed: Int { _processed }

  @inlinable
  public init(startTime: Double = 0) { _now = startTime }

  /// Schedules `payload` at absolute time `time` (not before `now`).
  @discardableResult
  @inlinable
  public mutating func schedule(_ payload: Payload, at time: Double, priority: Int32 = 0) -> EventID {
    precondition(time >= now, "cannot schedule an event in the past (\(time) < \(now))")
    return queue.push(payload, at: time, priority: priority)
  }

  /// Schedules `payload` `delay` time units from now.
  @discardableResult
  @inlinable
  public mutating func schedule(_ payload: Payload, after delay: Double, priority: Int32 = 0) -> EventID {
    schedule(payload, at: now + Swift.max(0, delay), priority: priority)
  }

  /// Cancels a pending event.
  @inlinable
  public mutating func cancel(_ id: EventID) { queue.cancel(id) }

  /// The number of pending events (cancelled ones included until skipped).
  @inlinable
  public var pendingCount: Int { queue.count }

  /// Pops the next event at or before `horizon`, advancing the clock; `nil` when none is left in time.
  @inlinable
  public mutating func next(until horizon: Double = .infinity) -> Payload? {
    guard let time = queue.peekTime(), time <= horizon else { return nil }
    let (t, payload) = queue.pop()!
    _now = t
    _processed += 1
    return payload
  }

  /// Processes one event with `handler`; returns false when the queue is empty.
  @inlinable
  public mutating func step(_ handler: (inout Simulation, Payload) -> Void) -> Bool {
    guard let payload = next() else { return false }
    handler(&self, payload)
    return true
  }

  /// Processes events up to and including time `horizon`, then sets the clock to `horizon`.
  @inlinable
  public mutating func run(until horizon: Double, _ handler: (inout Simulation, Payload) -> Void) {
    while let payload = next(until: horizon) { handler(&self, payload) }
    if horizon.isFinite { _now = Swift.max(_now, horizon) }
  }
}
