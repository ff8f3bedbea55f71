/// An entry of a ``QuaternaryHeap``: ordered by time, then by `order` (unique among the entries).
protocol TimedEntry {
  var time: Double { get }
  var order: UInt64 { get }
}

extension TimedEntry {
  @inline(__always) func precedes(_ other: some TimedEntry) -> Bool {
    time < other.time || (time == other.time && order < other.order)
  }
}

/// A 4-ary min-heap of timed entries (the children of `k` are `4k + 1 ... 4k + 4`): shallower than a binary heap,
/// and its four children share a cache line or two.
struct QuaternaryHeap<Entry: TimedEntry> {
  private(set) var entries: [Entry] = []

  var count: Int { entries.count }
  var first: Entry? { entries.first }

  /// Calls `body` on every entry, which may change anything but its time and order.
  mutating func updateEach(_ body: (inout Entry) -> Void) {
    entries.withUnsafeMutableBufferPointer { h in
      for i in h.indices { body(&h[i]) }
    }
  }

  mutating func insert(_ entry: Entry) {
    entries.append(entry)
    entries.withUnsafeMutableBufferPointer { h in
      var k = h.count - 1
      while k > 0 {
        let parent = (k - 1) >> 2
        guard entry.precedes(h[parent]) else { break }
        h[k] = h[parent]
        k = parent
      }
      h[k] = entry
    }
  }

  /// Removes the least entry (the heap must not be empty).
  mutating func removeFirst() {
    let last = entries.removeLast()
    guard !entries.isEmpty else { return }
    replaceFirst(with: last)
  }

  /// Replaces the least entry with `entry` (the heap must not be empty).
  mutating func replaceFirst(with entry: Entry) {
    entries.withUnsafeMutableBufferPointer { h in Self.siftDown(h, from: 0, entry) }
  }

  /// Puts `entry` at `k` (whose children are heaps) and moves it down to its place.
  @inline(__always) private static func siftDown(_ h: UnsafeMutableBufferPointer<Entry>, from k: Int, _ entry: Entry) {
    let n = h.count
    var k = k
    while true {
      let first = 4 * k + 1
      guard first < n else { break }
      // The least child, chosen without branches (which child wins is a coin toss a branch predictor loses).
      var least = first
      var (time, order) = (h[first].time, h[first].order)
      var c = first + 1
      let end = min(first + 4, n)
      while c < end {
        let (t, o) = (h[c].time, h[c].order)
        let better = t < time || (t == time && o < order)
        least = better ? c : least
        time = better ? t : time
        order = better ? o : order
        c += 1
      }
      guard h[least].precedes(entry) else { break }
      h[k] = h[least]
      k = least
    }
    h[k] = entry
  }
}
