/// The sampled agent table: each agent's latent preferences as one contiguous record of
/// ``Population/dimensions`` values (a decision reads most of them at once, so they share cache lines), plus each
/// agent's segment in its own column. Agents of a segment occupy one contiguous id range, in segment order.
public struct Population: Sendable {
  /// The number of agents.
  public let count: Int
  /// The segment index of each agent.
  public let segment: [Int32]
  /// Agent i's value on dimension d is `values[i * dimensions + d.rawValue]`.
  public let values: [Double]
  /// The number of preference dimensions (the record length of ``values``).
  public static let dimensions = Preference.allCases.count
  /// The segments, in scenario order.
  public let segments: [SegmentSpec]
  /// The id range of each segment.
  public let ranges: [Range<Int>]

  /// Samples `spec.size` agents; every segment draws from its own stream derived from `seeds`.
  public init(spec: PopulationSpec, seeds: SeedSequence, generator: RandomGenerator = .taus2) {
    let sizes = Population.apportion(total: spec.size, shares: spec.segments.map(\.share))
    var ranges: [Range<Int>] = []
    var start = 0
    for size in sizes {
      ranges.append(start..<(start + size))
      start += size
    }
    var segment = [Int32](repeating: 0, count: spec.size)
    let width = Population.dimensions
    var values = [Double](repeating: 0, count: spec.size * width)
    for i in 0..<spec.size { for d in Preference.allCases { values[i * width + d.rawValue] = d.defaultValue } }
    for (s, seg) in spec.segments.enumerated() {
      let range = ranges[s]
      for i in range { segment[i] = Int32(s) }
      let stream = seeds.stream(for: .population, index: UInt64(s), generator: generator)
      for (dimension, distribution) in seg.preferences.marginals {
        for i in range { values[i * width + dimension.rawValue] = distribution.sample(stream) }
      }
      for joint in seg.preferences.joint {
        var draw = [Double](repeating: 0, count: joint.dimensions.count)
        for i in range {
          joint.distribution.sample(stream, into: &draw)
          for (k, dimension) in joint.dimensions.enumerated() { values[i * width + dimension.rawValue] = draw[k] }
        }
      }
    }
    self.count = spec.size
    self.segment = segment
    self.values = values
    self.segments = spec.segments
    self.ranges = ranges
  }

  /// Whether agent `i` stands at an even position within its segment: the first role of a two-role game goes to
  /// these, so every segment is split evenly between roles.
  public func isEvenInSegment(_ i: Int) -> Bool {
    (i - ranges[Int(segment[i])].lowerBound) & 1 == 0
  }

  /// The column of one preference dimension (a copy; for output and analysis, not for hot loops).
  public subscript(_ dimension: Preference) -> [Double] {
    (0..<count).map { values[$0 * Population.dimensions + dimension.rawValue] }
  }

  /// Agent `i`'s value on `dimension`.
  @inlinable
  public func value(_ dimension: Preference, of i: Int) -> Double {
    values[i * Population.dimensions + dimension.rawValue]
  }

  /// Splits `total` into integer sizes proportional to `shares` (largest remainder, ties to the earlier segment).
  public static func apportion(total: Int, shares: [Double]) -> [Int] {
    let sum = shares.reduce(0, +)
    let exact = shares.map { Double(total) * $0 / sum }
    var sizes = exact.map { Int($0.rounded(.down)) }
    var left = total - sizes.reduce(0, +)
    let byRemainder = exact.indices.sorted { a, b in
      let ra = exact[a] - Double(sizes[a])
      let rb = exact[b] - Double(sizes[b])
      return ra != rb ? ra > rb : a < b
    }
    var k = 0
    while left > 0 {
      sizes[byRemainder[k % byRemainder.count]] += 1
      left -= 1
      k += 1
    }
    return sizes
  }
}
