import CGSL

/// The receivers of the waves in flight: each emission's detections, in order of arrival, in one buffer shared by all
/// waves (a wave's entry in the agenda holds its news, its next two receivers, and where the others lie, `rest ..<
/// end`).
///
/// New waves go at the end of the buffer; when it is full, the waves' remaining receivers are moved to its front (and
/// their entries told where they now are); it grows only when they fill more than half of it, so it holds at most
/// twice the detections in flight, with no allocation per emission.
struct DarkForestWaves {
  private var receivers: [Int32] = []
  /// The end of the used part of `receivers`.
  private var used = 0
  /// The receivers of all waves not yet arrived.
  private(set) var inFlight = 0
  /// Scratch for a compaction: each wave's remaining receivers, by where they lay and where they go.
  private var spans: [(start: Int32, end: Int32)] = []
  private var moved: [Int32] = []

  /// Stores the receivers of a wave after its first two (its entry holds those), `arrivals` sorted by arrival, and
  /// returns where they lie; a compaction moves the receivers of the waves of `fronts`.
  mutating func insert(
    _ arrivals: [DarkForestAgenda.Arrival], fronts: inout CalendarQueue<DarkForestAgenda.WaveEntry>
  ) -> (rest: Int32, end: Int32) {
    inFlight += arrivals.count
    let count = max(0, arrivals.count - 2)
    guard count > 0 else { return (0, 0) }
    if used + count > receivers.count { compact(making: count, fronts: &fronts) }
    let first = used
    receivers.withUnsafeMutableBufferPointer { buffer in
      for a in arrivals[2...] {
        buffer[used] = a.to
        used += 1
      }
    }
    return (Int32(first), Int32(used))
  }

  /// One detection has arrived.
  @inline(__always) mutating func arrived() { inFlight -= 1 }

  /// The receiver at `k`.
  @inline(__always) subscript(k: Int32) -> Int32 { receivers[Int(k)] }

  /// Hints that the receiver at `k` will be read soon.
  @inline(__always) func prefetch(_ k: Int32) {
    receivers.withUnsafeBufferPointer { agora_prefetch($0.baseAddress! + Int(k)) }
  }

  /// Moves the remaining receivers of every wave to the front of the buffer, in the order they lie in it (so none
  /// is overwritten before it moves), tells each wave's entry, and grows the buffer when they and `count` more would
  /// fill over half of it.
  private mutating func compact(making count: Int, fronts: inout CalendarQueue<DarkForestAgenda.WaveEntry>) {
    spans.removeAll(keepingCapacity: true)
    fronts.updateEach { if $0.rest < $0.end { spans.append(($0.rest, $0.end)) } }
    spans.sort { $0.start < $1.start }
    moved.removeAll(keepingCapacity: true)
    var to = 0
    receivers.withUnsafeMutableBufferPointer { buffer in
      for (start, end) in spans {
        let (from, length) = (Int(start), Int(end - start))
        if to != from {
          for k in 0..<length { buffer[to + k] = buffer[from + k] }
        }
        moved.append(Int32(to))
        to += length
      }
    }
    // Each wave's receivers start where its rank among the old starts says (the starts of the spans not empty are
    // distinct: the spans are disjoint).
    let (starts, destinations) = (spans, moved)
    fronts.updateEach { wave in
      guard wave.rest < wave.end else {
        (wave.rest, wave.end) = (0, 0)
        return
      }
      var (low, high) = (0, starts.count)
      while low < high {
        let middle = (low + high) / 2
        if starts[middle].start < wave.rest { low = middle + 1 } else { high = middle }
      }
      wave.end = destinations[low] + (wave.end - wave.rest)
      wave.rest = destinations[low]
    }
    used = to
    let needed = 2 * (used + count)
    if needed > receivers.count {
      precondition(needed <= Int(Int32.max), "more than 2^30 detections in flight")
      receivers.append(contentsOf: repeatElement(0, count: max(needed, 4096) - receivers.count))
    }
  }
}
