/// How often each offer on the grid was proposed and how often accepted, by the proposer's segment: the run's
/// offer distribution and acceptance curve (`offers.csv`, and the first pictures of report.html).
public struct OfferHistogram: Sendable, Hashable {
  /// The offers on the grid.
  public let options: Int
  public let segments: Int
  /// `counts[(s * options + k) * 2]`: proposals of offer k by segment s's proposers; `+ 1`: those accepted.
  public private(set) var counts: [Int]

  public init(options: Int, segments: Int) {
    self.options = options
    self.segments = segments
    counts = [Int](repeating: 0, count: options * segments * 2)
  }

  /// Counts a proposal of offer `k` by a proposer of segment `s`.
  mutating func add(segment s: Int, offer k: Int, accepted: Bool) {
    let base = (s * options + k) * 2
    counts[base] += 1
    if accepted { counts[base + 1] += 1 }
  }

  /// Adds counts kept elsewhere in the same layout (a thread's kernel: `counts.count` integers).
  mutating func merge(_ other: UnsafePointer<Int>) {
    for c in counts.indices { counts[c] += other[c] }
  }

  mutating func merge(_ other: OfferHistogram) {
    other.counts.withUnsafeBufferPointer { merge($0.baseAddress!) }
  }

  /// Proposals of offer `k` by segment `s`'s proposers, and those accepted.
  public func proposals(segment s: Int, offer k: Int) -> (made: Int, accepted: Int) {
    let base = (s * options + k) * 2
    return (counts[base], counts[base + 1])
  }

  /// All proposals counted.
  public var total: Int { stride(from: 0, to: counts.count, by: 2).reduce(0) { $0 + counts[$1] } }
}
