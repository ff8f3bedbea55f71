/// The waves in flight, by number: each one emission's detections, news of `from` travelling from `origin` (the
/// emitter, or the battle that reveals a striker) to its receivers in order of arrival.
///
/// A signal's arrival reads its wave's record (one cache line) and its receiver. The receivers of all waves share one
/// buffer: a wave's are `receivers[next ..< end]` (those not yet arrived), new waves go at the end, and when it is
/// full the waves' remaining receivers are moved to its front; it grows only when they fill more than half of it, so
/// it holds at most twice the detections in flight, with no allocation per emission.
struct DarkForestWaves {
  /// A wave: what it carries, and where its receivers not yet arrived lie in the buffer.
  struct Record {
    var from: Int32, origin: Int32
    var military: Double, emitted: Double
    var next: Int, end: Int
  }

  private(set) var records: [Record] = []
  private var free: [Int32] = []
  private var receivers: [Int32] = []
  /// The end of the used part of `receivers`.
  private var used = 0
  /// The receivers of all waves not yet arrived.
  private(set) var inFlight = 0

  /// Stores a wave whose receivers are `arrivals`' (sorted by arrival), and returns its number.
  mutating func insert(
    from: Int32, origin: Int32, military: Double, emitted: Double, arrivals: [DarkForestAgenda.Arrival]
  ) -> Int32 {
    if used + arrivals.count > receivers.count { compact(making: arrivals.count) }
    let first = used
    for a in arrivals {
      receivers[used] = a.to
      used += 1
    }
    inFlight += arrivals.count
    let record = Record(from: from, origin: origin, military: military, emitted: emitted, next: first, end: used)
    guard let slot = free.popLast() else {
      records.append(record)
      return Int32(records.count - 1)
    }
    records[Int(slot)] = record
    return slot
  }

  /// Wave `slot` as it was, its next receiver, and the one after it (nil after the last); the wave moves on by one.
  @inline(__always) mutating func advance(_ slot: Int32) -> (wave: Record, to: Int32, following: Int32?) {
    let s = Int(slot)
    let wave = records[s]
    records[s].next = wave.next + 1
    inFlight -= 1
    let k = wave.next
    return (wave, receivers[k], k + 1 < wave.end ? receivers[k + 1] : nil)
  }

  /// Frees wave `slot` (its receivers have all arrived).
  mutating func remove(_ slot: Int32) {
    (records[Int(slot)].next, records[Int(slot)].end) = (0, 0)
    free.append(slot)
  }

  /// Moves the remaining receivers of every wave to the front of the buffer, in the order they lie in it (so none
  /// is overwritten before it moves), and grows the buffer when they and `count` more would fill over half of it.
  private mutating func compact(making count: Int) {
    let waves = records.indices.filter { records[$0].next < records[$0].end }.sorted {
      records[$0].next < records[$1].next
    }
    var to = 0
    receivers.withUnsafeMutableBufferPointer { buffer in
      for w in waves {
        let (next, length) = (records[w].next, records[w].end - records[w].next)
        if to != next {
          for k in 0..<length { buffer[to + k] = buffer[next + k] }
        }
        (records[w].next, records[w].end) = (to, to + length)
        to += length
      }
    }
    used = to
    let needed = 2 * (used + count)
    if needed > receivers.count {
      receivers.append(contentsOf: repeatElement(0, count: max(needed, 4096) - receivers.count))
    }
  }
}
