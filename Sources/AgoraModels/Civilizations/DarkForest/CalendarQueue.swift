/// A priority queue of timed entries in the order of a ``QuaternaryHeap`` (by time, then `order`), kept as a calendar:
/// the entries of the current bucket of time sorted in a run, later ones appended unsorted to their bucket, and
/// those past the calendar's span in a heap of their own.
///
/// A heap of millions of entries pays a cache miss at each of its lower levels on every removal; here a removal takes
/// the next entry of a sorted run (or of a small heap of the entries that came for the current bucket after it was
/// sorted), an insertion appends to its bucket's chain of chunks in one shared pool, and a bucket is sorted once,
/// when the clock reaches it. Because the run is sorted, what comes out a few removals later is known now
/// (``lookahead(_:)``), so the memory it needs can be asked for in time. A bucket is `floor(time x buckets / span)`,
/// which never decreases as time grows, so every entry of an earlier bucket precedes every entry of a later one, and
/// entries come out in exactly the heap's order.
struct CalendarQueue<Entry: TimedEntry> {
  /// The current bucket's entries, sorted: `run[cursor...]` are not yet removed.
  private var run: [Entry] = []
  private var cursor = 0
  /// Scratch of a refill: a copy of the run, and where each slice of the bucket starts.
  private var spare: [Entry] = []
  private var slices: [Int32] = []
  /// The entries for buckets up to `current` that came after the run was sorted.
  private var late = QuaternaryHeap<Entry>()
  /// Buckets after `current`: each a chain of chunks of ``chunk`` entries in `pool`, linked by `link` (-1 ends a
  /// chain), from `heads[k]` to `tails[k].chunk`, whose last holds `tails[k].fill` entries (-1: an empty bucket;
  /// the tail and its fill side by side, as an insertion reads them).
  private var pool: [Entry] = []
  private var link: [Int32] = []
  private var unused: [Int32] = []
  private var heads: [Int32]
  private var tails: [(chunk: Int32, fill: Int32)]
  /// The entries at or past the calendar's span (bucket `heads.count`).
  private var far = QuaternaryHeap<Entry>()
  /// The bucket the run holds (`heads.count` once the calendar is used up: `late` then takes everything).
  private var current = 0
  /// Buckets per time unit.
  private let scale: Double
  /// The entries held.
  private(set) var count = 0

  /// Entries per chunk of a bucket's chain.
  static var chunk: Int { 16 }

  /// A calendar of `buckets` buckets over times `0 ..< span` (a finite span > 0; later entries wait in one heap).
  init(span: Double, buckets: Int) {
    precondition(span > 0 && span.isFinite && buckets > 0, "a calendar needs a finite span > 0 and buckets")
    heads = [Int32](repeating: -1, count: buckets)
    tails = [(chunk: Int32, fill: Int32)](repeating: (-1, 0), count: buckets)
    scale = Double(buckets) / span
  }

  var isEmpty: Bool { count == 0 }

  /// The least entry; when the run and the late heap are used up, the next bucket becomes the run first (only here,
  /// when the entry is wanted: the run's bucket is then the least entry's, and entries scheduled from now on rarely
  /// fall in it).
  mutating func peek() -> Entry? {
    if cursor == run.count && late.count == 0 {
      guard count > 0 else { return nil }
      refill()
    }
    guard cursor < run.count else { return late.first }
    guard let other = late.first, other.precedes(run[cursor]) else { return run[cursor] }
    return other
  }

  /// The entry `k` places after the next one in the sorted run (nil past its end): what will come out about `k`
  /// removals later, unless later entries come for the current bucket.
  @inline(__always) func lookahead(_ k: Int) -> Entry? { cursor + k < run.count ? run[cursor + k] : nil }

  /// The least of the entries that came for the current bucket after it was sorted.
  var firstLate: Entry? { late.first }

  /// Where an entry at `time` belongs: its bucket, or `heads.count` past the span.
  @inline(__always) private func bucket(_ time: Double) -> Int {
    let x = time * scale
    return x < Double(heads.count) ? Int(x) : heads.count
  }

  mutating func insert(_ entry: Entry) {
    count += 1
    let k = bucket(entry.time)
    if k <= current {
      late.insert(entry)
      return
    }
    if k < heads.count { append(entry, to: k) } else { far.insert(entry) }
  }

  /// Removes the least entry, which ``peek()`` has just returned.
  mutating func removeFirst() {
    if cursor < run.count && !(late.first?.precedes(run[cursor]) ?? false) {
      cursor += 1
    } else {
      late.removeFirst()
    }
    count -= 1
  }

  /// Replaces the least entry, which ``peek()`` has just returned, with `entry`.
  mutating func replaceFirst(with entry: Entry) {
    removeFirst()
    insert(entry)
  }

  /// Calls `body` on every entry, which may change anything but its time and order (their place stays right).
  mutating func updateEach(_ body: (inout Entry) -> Void) {
    late.updateEach(body)
    far.updateEach(body)
    run.withUnsafeMutableBufferPointer { run in
      for i in cursor..<run.count { body(&run[i]) }
    }
    let chunk = Self.chunk
    pool.withUnsafeMutableBufferPointer { pool in
      for k in heads.indices where heads[k] >= 0 {
        var c = Int(heads[k])
        while true {
          let next = Int(link[c])
          for i in 0..<(next < 0 ? Int(tails[k].fill) : chunk) { body(&pool[c * chunk + i]) }
          guard next >= 0 else { break }
          c = next
        }
      }
    }
  }

  /// Appends `entry` to bucket `k`'s chain (a store into a chunk: nothing of the bucket's is read but its tail).
  @inline(__always) private mutating func append(_ entry: Entry, to k: Int) {
    let chunk = Self.chunk
    var tail = Int(tails[k].chunk)
    var fill = Int(tails[k].fill)
    if tail < 0 || fill == chunk {
      let fresh: Int
      if let c = unused.popLast() {
        fresh = Int(c)
      } else {
        fresh = link.count
        link.append(-1)
        pool.append(contentsOf: repeatElement(entry, count: chunk))
      }
      link[fresh] = -1
      if tail < 0 { heads[k] = Int32(fresh) } else { link[tail] = Int32(fresh) }
      tail = fresh
      fill = 0
    }
    pool[tail * chunk + fill] = entry
    tails[k] = (Int32(tail), Int32(fill + 1))
  }

  /// Makes the next non-empty bucket the run, sorted (the run and `late` are used up); past the last, `late` takes
  /// the far heap.
  private mutating func refill() {
    run.removeAll(keepingCapacity: true)
    cursor = 0
    let chunk = Self.chunk
    while current + 1 < heads.count {
      current += 1
      guard heads[current] >= 0 else { continue }
      var c = Int(heads[current])
      while true {
        let next = Int(link[c])
        let n = next < 0 ? Int(tails[current].fill) : chunk
        run.append(contentsOf: pool[(c * chunk)..<(c * chunk + n)])
        unused.append(Int32(c))
        guard next >= 0 else { break }
        c = next
      }
      (heads[current], tails[current]) = (-1, (-1, 0))
      spread(bucket: current)
      run.withUnsafeMutableBufferPointer { run in
        if !Self.insertionSort(run, budget: 8 * run.count + 64) { Self.sort(run) }
      }
      return
    }
    current = heads.count
    swap(&late, &far)
  }

  /// Orders the run by where each entry falls within bucket `k` (a counting sort into as many slices as entries):
  /// times in a later slice are later, so what is left out of order lies within a slice, a few entries each, for an
  /// insertion sort to finish.
  private mutating func spread(bucket k: Int) {
    let n = run.count
    guard n > 32 else { return }
    slices.removeAll(keepingCapacity: true)
    slices.append(contentsOf: repeatElement(0, count: n + 1))
    if spare.count < n { spare.append(contentsOf: run[spare.count..<n]) }
    let (base, width) = (Double(k), Double(n))
    @inline(__always) func slice(_ e: Entry) -> Int { min(n - 1, max(0, Int((e.time * scale - base) * width))) }
    run.withUnsafeBufferPointer { run in
      spare.withUnsafeMutableBufferPointer { spare in
        slices.withUnsafeMutableBufferPointer { start in
          for e in run { start[slice(e) + 1] += 1 }
          for j in 0..<n { start[j + 1] += start[j] }
          for e in run {
            let j = slice(e)
            spare[Int(start[j])] = e
            start[j] += 1
          }
        }
      }
    }
    // The spread entries become the run (the old run's storage is the next refill's spare).
    swap(&run, &spare)
    if run.count > n { run.removeLast(run.count - n) }
  }

  /// Sorts `a` by insertion while it moves at most `budget` entries; false if it gave up (`a` is then a permutation
  /// of what it was, for another sort to finish).
  private static func insertionSort(_ a: UnsafeMutableBufferPointer<Entry>, budget: Int) -> Bool {
    var moves = 0
    for i in a.indices.dropFirst() {
      let x = a[i]
      var k = i
      while k > 0 && x.precedes(a[k - 1]) {
        a[k] = a[k - 1]
        k -= 1
      }
      a[k] = x
      moves += i - k
      if moves > budget { return false }
    }
    return true
  }

  /// Sorts `entries` by time, then order (their keys are distinct): quicksort on the median of three, insertion sort
  /// below 16 entries, and a heap past a depth of twice the logarithm (never for the exponential times of a run).
  static func sort(_ entries: UnsafeMutableBufferPointer<Entry>) {
    var depth = 2 * (Int.bitWidth - entries.count.leadingZeroBitCount)
    sort(entries, 0, entries.count, depth: &depth)
  }

  private static func sort(_ a: UnsafeMutableBufferPointer<Entry>, _ low: Int, _ high: Int, depth: inout Int) {
    var (low, high) = (low, high)
    while high - low > 16 {
      if depth == 0 {
        var heap = QuaternaryHeap<Entry>()
        for i in low..<high { heap.insert(a[i]) }
        for i in low..<high {
          a[i] = heap.first!
          heap.removeFirst()
        }
        return
      }
      depth -= 1
      // The median of the first, middle and last entry, moved to the front as the pivot.
      let middle = low + (high - low) / 2
      if a[middle].precedes(a[low]) { a.swapAt(middle, low) }
      if a[high - 1].precedes(a[low]) { a.swapAt(high - 1, low) }
      if a[high - 1].precedes(a[middle]) { a.swapAt(high - 1, middle) }
      a.swapAt(low, middle)
      let pivot = a[low]
      // Hoare's partition: everything before `j + 1` is at most the pivot, everything after `j` at least.
      var i = low
      var j = high
      while true {
        repeat { i += 1 } while i < high && a[i].precedes(pivot)
        repeat { j -= 1 } while pivot.precedes(a[j])
        guard i < j else { break }
        a.swapAt(i, j)
      }
      a.swapAt(low, j)
      // Recurse into the smaller side, loop on the larger.
      if j - low < high - j - 1 {
        sort(a, low, j, depth: &depth)
        low = j + 1
      } else {
        sort(a, j + 1, high, depth: &depth)
        high = j
      }
    }
    guard high - low > 1 else { return }
    for i in (low + 1)..<high {
      let x = a[i]
      var k = i
      while k > low && x.precedes(a[k - 1]) {
        a[k] = a[k - 1]
        k -= 1
      }
      a[k] = x
    }
  }
}
