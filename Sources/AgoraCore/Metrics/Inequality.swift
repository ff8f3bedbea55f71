import Foundation

/// Inequality and welfare measures of a distribution of non-negative amounts (DESIGN.md §8).
///
/// All are pure functions. Inputs must be non-empty, finite and non-negative, else ``MetricError``.
/// Conventions: an all-zero vector is perfectly equal (Gini, Theil, Atkinson, Hoover 0, Jain 1); a zero amount
/// makes Theil L infinite, Atkinson(eps >= 1) equal to 1 and Nash welfare 0, as the formulas say.
public enum Inequality {
  /// Gini coefficient, sorted form `2 * sum_i i * x_(i) / (n * sum x) - (n + 1) / n` with 1-based ranks.
  public static func gini(_ x: [Double], threads: Int = 1) throws(MetricError) -> Double {
    var sorter = AmountSorter()
    return try x.withUnsafeBufferPointer { x throws(MetricError) in try gini(x, threads: threads, sorter: &sorter) }
  }

  /// ``gini(_:threads:)`` of amounts in a buffer, sorted by `sorter` (which a caller that computes a Gini every
  /// round keeps: fresh arrays of a million amounts cost more in page faults than the sort itself).
  package static func gini(
    _ x: UnsafeBufferPointer<Double>, threads: Int, sorter: inout AmountSorter
  ) throws(MetricError) -> Double {
    try check(x)
    let total = x.reduce(0, +)
    guard total > 0 else { return 0 }
    var weighted = 0.0
    if AmountSorter.usesRadix(x.count) {
      sorter.sort(x, threads: threads >= 2 && x.count >= 1 << 18 ? 2 : 1)
      for (i, key) in sorter.keys[0..<x.count].enumerated() {
        weighted += Double(i + 1) * Double(bitPattern: key)
      }
    } else {
      for (i, v) in x.sorted().enumerated() { weighted += Double(i + 1) * v }
    }
    let n = Double(x.count)
    return 2 * weighted / (n * total) - (n + 1) / n
  }

  /// Sample (bias-corrected) Gini `G * n / (n - 1)`; 0 for a single amount.
  public static func sampleGini(_ x: [Double]) throws(MetricError) -> Double {
    let g = try gini(x)
    return x.count > 1 ? g * Double(x.count) / Double(x.count - 1) : 0
  }

  /// Equality `1 - G * n / (n - 1)`: 1 when all are equal, 0 when one has everything.
  public static func equality(_ x: [Double]) throws(MetricError) -> Double {
    1 - (try sampleGini(x))
  }

  /// Theil T index `mean((x/mu) * ln(x/mu))`, with `0 ln 0 = 0`.
  public static func theilT(_ x: [Double]) throws(MetricError) -> Double {
    try check(x)
    let mu = mean(x)
    guard mu > 0 else { return 0 }
    var s = 0.0
    for v in x where v > 0 {
      let r = v / mu
      s += r * log(r)
    }
    return s / Double(x.count)
  }

  /// Theil L index (mean log deviation) `mean(ln(mu / x))`; infinite when some amount is zero.
  public static func theilL(_ x: [Double]) throws(MetricError) -> Double {
    try check(x)
    let mu = mean(x)
    guard mu > 0 else { return 0 }
    var s = 0.0
    for v in x {
      guard v > 0 else { return .infinity }
      s += log(mu / v)
    }
    return s / Double(x.count)
  }

  /// Atkinson index with inequality aversion `epsilon >= 0`: `1 - (mean(x^(1-eps)))^(1/(1-eps)) / mu`,
  /// and `1 - geomean / mu` at eps = 1.
  public static func atkinson(_ x: [Double], epsilon: Double) throws(MetricError) -> Double {
    try check(x)
    guard epsilon >= 0, epsilon.isFinite else {
      throw .invalidParameter("atkinson epsilon must be >= 0, got \(epsilon)")
    }
    let mu = mean(x)
    guard mu > 0 else { return 0 }
    if abs(epsilon - 1) < 1e-12 { return 1 - (try geometricMean(x)) / mu }
    if epsilon > 1 && x.contains(0) { return 1 }
    var s = 0.0
    for v in x { s += pow(v / mu, 1 - epsilon) }
    return 1 - pow(s / Double(x.count), 1 / (1 - epsilon))
  }

  /// Jain's fairness index `(sum x)^2 / (n * sum x^2)`, in [1/n, 1].
  public static func jain(_ x: [Double]) throws(MetricError) -> Double {
    try check(x)
    let total = x.reduce(0, +)
    let squares = x.reduce(0) { $0 + $1 * $1 }
    guard squares > 0 else { return 1 }
    return total * total / (Double(x.count) * squares)
  }

  /// Hoover (Robin Hood) index `sum |x - mu| / (2 * sum x)`: the share that would have to move to equalise.
  public static func hoover(_ x: [Double]) throws(MetricError) -> Double {
    try check(x)
    let total = x.reduce(0, +)
    guard total > 0 else { return 0 }
    let mu = total / Double(x.count)
    return x.reduce(0) { $0 + abs($1 - mu) } / (2 * total)
  }

  /// Nash welfare as the geometric mean of the amounts (0 if any is 0).
  public static func nashWelfare(_ x: [Double]) throws(MetricError) -> Double {
    try check(x)
    return try geometricMean(x)
  }

  /// The share of the total held by the poorest and by the richest.
  public static func extremeShares(_ x: [Double]) throws(MetricError) -> (min: Double, max: Double) {
    try check(x)
    let total = x.reduce(0, +)
    guard total > 0 else { return (1 / Double(x.count), 1 / Double(x.count)) }
    return (x.min()! / total, x.max()! / total)
  }

  /// Every measure of this type, by its CSV column name, in a stable order.
  public static func all(_ x: [Double]) throws(MetricError) -> [(String, Double)] {
    let g = try gini(x)
    let sample = x.count > 1 ? g * Double(x.count) / Double(x.count - 1) : 0
    let shares = try extremeShares(x)
    return [
      ("gini", g), ("gini_sample", sample), ("equality", 1 - sample),
      ("theil_t", try theilT(x)), ("theil_l", try theilL(x)), ("atkinson_0_5", try atkinson(x, epsilon: 0.5)),
      ("atkinson_1", try atkinson(x, epsilon: 1)), ("atkinson_2", try atkinson(x, epsilon: 2)),
      ("jain", try jain(x)), ("hoover", try hoover(x)), ("nash_welfare", try nashWelfare(x)),
      ("min_share", shares.min), ("max_share", shares.max),
    ]
  }

  static func mean(_ x: [Double]) -> Double { x.reduce(0, +) / Double(x.count) }

  static func geometricMean(_ x: [Double]) throws(MetricError) -> Double {
    var s = 0.0
    for v in x {
      guard v > 0 else { return 0 }
      s += log(v)
    }
    return exp(s / Double(x.count))
  }

  static func check(_ x: [Double]) throws(MetricError) {
    try x.withUnsafeBufferPointer { x throws(MetricError) in try check(x) }
  }

  static func check(_ x: UnsafeBufferPointer<Double>) throws(MetricError) {
    guard !x.isEmpty else { throw .empty }
    for (i, v) in x.enumerated() {
      guard v.isFinite else { throw .nonFinite(index: i, value: v) }
      guard v >= 0 else { throw .negative(index: i, value: v) }
    }
  }
}

/// Why a metric cannot be computed on an input.
public enum MetricError: Error, Sendable, Equatable, CustomStringConvertible {
  case empty
  case negative(index: Int, value: Double)
  case nonFinite(index: Int, value: Double)
  case invalidParameter(String)

  public var description: String {
    switch self {
    case .empty: return "no values: inequality metrics need at least one amount"
    case .negative(let i, let v):
      return "value \(i + 1) is \(v): inequality metrics are defined for non-negative amounts only"
    case .nonFinite(let i, let v): return "value \(i + 1) is \(v): every amount must be a finite number"
    case .invalidParameter(let m): return m
    }
  }
}
