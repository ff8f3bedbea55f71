import HeapModule

/// A handle to a scheduled event, used to cancel it.
public struct EventID: Hashable, Sendable {
  /// The insertion sequence number of the event.
  public let sequence: UInt64

  @inlinable init(sequence: UInt64) { self.sequence = sequence }
}

/// A priority queue of timed events ordered by `(time, priority, insertion sequence)`.
///
/// Ties in time and priority pop in insertion order, so a simulation is deterministic even though
/// `Heap` itself does not order equal keys. Cancellation is lazy: a cancelled event stays in the heap
/// and is skipped when it reaches the top.
public struct EventQueue<Payload> {
  @usableFromInline
  package struct Entry: Comparable {
    @usableFromInline var time: Double
    @usableFromInline var priority: Int32
    @usableFromInline var sequence: UInt64
    @usableFromInline var payload: Payload

    @inlinable
    init(time: Double, priority: Int32, sequence: UInt64, payload: Payload) {
      self.time = time
      self.priority = priority
      self.sequence = sequence
      self.payload = payload
    }

    @inlinable
    package static func < (lhs: Entry, rhs: Entry) -> Bool {
      if lhs.time != rhs.time { return lhs.time < rhs.time }
      if lhs.priority != rhs.priority { return lhs.priority < rhs.priority }
      return lhs.sequence < rhs.sequence
    }

    @inlinable
    package static func == (lhs: Entry, rhs: Entry) -> Bool { lhs.sequence == rhs.sequence }
  }

  @usableFromInline var heap = Heap<Entry>()
  @usableFromInline var nextSequence: UInt64 = 0
  @usableFromInline var cancelled = Set<UInt64>()

  @inlinable
  public init() {}

  /// The number of pending entries, cancelled ones included until they are skipped.
  @inlinable
  public var count: Int { heap.count }

  /// Whether no live event is pending (skips cancelled events at the top of the queue).
  @inlinable
  public var isEmpty: Bool {
    mutating get {
      dropCancelled()
      return heap.isEmpty
    }
  }

  /// Adds `payload` at `time`; a lower `priority` runs first among events at the same time.
  @discardableResult
  @inlinable
  public mutating func push(_ payload: Payload, at time: Double, priority: Int32 = 0) -> EventID {
    let sequence = nextSequence
    nextSequence &+= 1
    heap.insert(Entry(time: time, priority: priority, sequence: sequence, payload: payload))
    return EventID(sequence: sequence)
  }

  /// Marks the event as cancelled; it will never be popped. Cancelling twice or after it ran does nothing harmful.
  @inlinable
  public mutating func cancel(_ id: EventID) {
    if id.sequence < nextSequence { cancelled.insert(id.sequence) }
  }

  /// The time of the next live event.
  @inlinable
  public mutating func peekTime() -> Double? {
    dropCancelled()
    return heap.min?.time
  }

  /// Removes and returns the next live event.
  @inlinable
  public mutating func pop() -> (time: Double, payload: Payload)? {
    while let entry = heap.popMin() {
      if !cancelled.isEmpty, cancelled.remove(entry.sequence) != nil { continue }
      return (entry.time, entry.payload)
    }
    return nil
  }

  @inlinable
  mutating func dropCancelled() {
    while let top = heap.min, !cancelled.isEmpty, cancelled.contains(top.sequence) {
      cancelled.remove(top.sequence)
      heap.removeMin()
    }
    if heap.isEmpty { cancelled.removeAll() }
  }
}
