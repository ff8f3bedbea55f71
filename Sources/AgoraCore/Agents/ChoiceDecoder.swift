import CAgoraMath
import CGSL
import Foundation

/// The LLM-style decoding knobs of one population segment (DESIGN.md §5).
public struct DecodingParameters: Sendable, Hashable, Codable {
  /// Softmax temperature; 0 decodes greedily (argmax, ties to the lowest index).
  public var temperature: Double = 1
  /// Keep only the `topK` most likely options; 0 keeps all.
  public var topK: Int = 0
  /// Nucleus truncation: keep the smallest most-likely prefix whose mass reaches `topP`.
  public var topP: Double = 1
  /// Logit bonus of the first option in prompt order.
  public var positionBias: Double = 0
  /// Logit bonus of the salient ("correct", focal) option.
  public var salienceBias: Double = 0
  /// Mixes the distribution with its argmax: 0 leaves it, 1 always picks the mode.
  public var modeCollapse: Double = 0
  /// In a choice of an amount on a grid, the point mass of each focal amount (none, half, all), in units of the
  /// amount's range: a focal option weighs as much as a band this wide of non-focal options of the same utility,
  /// whatever the grid (see ``AmountGrid``).
  public var focalMass: Double = 0

  public init(
    temperature: Double = 1, topK: Int = 0, topP: Double = 1, positionBias: Double = 0, salienceBias: Double = 0,
    modeCollapse: Double = 0, focalMass: Double = 0
  ) {
    self.temperature = temperature
    self.topK = topK
    self.topP = topP
    self.positionBias = positionBias
    self.salienceBias = salienceBias
    self.modeCollapse = modeCollapse
    self.focalMass = focalMass
  }

  enum CodingKeys: String, CodingKey, CaseIterable {
    case temperature, topK = "top_k", topP = "top_p", positionBias = "position_bias", salienceBias = "salience_bias"
    case modeCollapse = "mode_collapse", focalMass = "focal_mass"
  }
}

/// Chooses among options the way a language model decodes: utilities become logits, biases are added,
/// the distribution is sharpened by mode collapse, truncated by top-k and top-p, and sampled with GSL.
///
/// The decoder owns scratch buffers so that a decision allocates nothing; it never knows which game it serves.
public struct ChoiceDecoder {
  var probabilities: [Double] = []
  var order: [Int] = []
  /// The number of options of the last decision (the scratch arrays may be longer).
  var count = 0

  public init(capacity: Int = 16) { reserve(capacity) }

  /// Temperatures at or below this decode greedily.
  public static let greedyTemperature = 1e-9

  mutating func reserve(_ n: Int) {
    guard probabilities.count < n else { return }
    probabilities = [Double](repeating: 0, count: n)
    order = [Int](repeating: 0, count: n)
  }

  /// The decoding distribution over `utilities` (prompt order), after biases, mode collapse, top-k and top-p.
  /// `salient` is the index of the focal option, or -1 for none; `logWeights` (one per option, when given) are the
  /// options' log measures of an amount grid (``AmountGrid/logWeights(focalMass:)``).
  public mutating func distribution(
    utilities: UnsafeBufferPointer<Double>, salient: Int, parameters p: DecodingParameters,
    logWeights: UnsafePointer<Double>? = nil
  ) -> [Double] {
    computeDistribution(utilities: utilities, salient: salient, parameters: p, logWeights: logWeights)
    return Array(probabilities[0..<count])
  }

  /// Samples one option index from `utilities` (prompt order) with one uniform draw from `stream`.
  public mutating func choose(
    utilities: UnsafeBufferPointer<Double>, salient: Int, parameters p: DecodingParameters, stream: RandomStream,
    logWeights: UnsafePointer<Double>? = nil
  ) -> Int {
    reserve(utilities.count)
    let rng = stream.rng
    return probabilities.withUnsafeMutableBufferPointer { probabilities in
      order.withUnsafeMutableBufferPointer { order in
        ChoiceDecoder.choose(
          utilities: utilities, salient: salient, parameters: p, probabilities: probabilities.baseAddress!,
          order: order.baseAddress!, rng: rng, logWeights: logWeights)
      }
    }
  }

  /// ``choose(utilities:salient:parameters:stream:logWeights:)`` on caller-owned scratch (`probabilities` and
  /// `order` hold at least `utilities.count` values) and the generator itself: the form hot loops call, with no
  /// array in reach. A greedy decision draws nothing; any other draws one uniform.
  @inline(__always)
  package static func choose(
    utilities: UnsafeBufferPointer<Double>, salient: Int, parameters p: DecodingParameters,
    probabilities: UnsafeMutablePointer<Double>, order: UnsafeMutablePointer<Int>, rng: UnsafeMutablePointer<gsl_rng>,
    logWeights: UnsafePointer<Double>? = nil
  ) -> Int {
    if p.temperature <= ChoiceDecoder.greedyTemperature { return ChoiceDecoder.argmax(utilities) }
    let n = utilities.count
    if p.modeCollapse == 0 && (p.topK == 0 || p.topK >= n) {
      return sampleWeights(
        utilities: utilities, salient: salient, parameters: p, weights: probabilities, order: order, rng: rng,
        logWeights: logWeights)
    }
    let buffer = UnsafeMutableBufferPointer(start: probabilities, count: n)
    fill(buffer, n: n, utilities: utilities, salient: salient, parameters: p, order: order, logWeights: logWeights)
    return sample(UnsafeBufferPointer(buffer), uniform: gsl_rng_uniform(rng))
  }

  /// ``choose(utilities:salient:parameters:probabilities:order:rng:logWeights:)`` without mode collapse or top-k
  /// (the hot loops' usual decision), on the unnormalised weights `e^(logit - max)` (``weights(utilities:salient:
  /// parameters:into:logWeights:)``, then ``pick(_:count:total:topP:order:uniform:)``): the same distribution as
  /// ``fill`` and ``sample`` without their passes that divide.
  @inline(__always)
  static func sampleWeights(
    utilities: UnsafeBufferPointer<Double>, salient: Int, parameters p: DecodingParameters,
    weights w: UnsafeMutablePointer<Double>, order: UnsafeMutablePointer<Int>, rng: UnsafeMutablePointer<gsl_rng>,
    logWeights: UnsafePointer<Double>?
  ) -> Int {
    let n = utilities.count
    let total = weights(utilities: utilities, salient: salient, parameters: p, into: w, logWeights: logWeights)
    let u = gsl_rng_uniform(rng)
    if let k = pick(w, count: n, total: total, topP: p.topP, order: order, uniform: u) { return k }
    // Not numbers: the passes that handle every case, with the same draw.
    let buffer = UnsafeMutableBufferPointer(start: w, count: n)
    fill(buffer, n: n, utilities: utilities, salient: salient, parameters: p, order: order, logWeights: logWeights)
    return sample(UnsafeBufferPointer(buffer), uniform: u)
  }

  /// Writes each option's weight `e^(logit - max)` into `w` (the best option's exactly 1) and returns their sum:
  /// the logits of ``fill``, before mode collapse and truncation.
  @inline(__always)
  static func weights(
    utilities: UnsafeBufferPointer<Double>, salient: Int, parameters p: DecodingParameters,
    into w: UnsafeMutablePointer<Double>, logWeights: UnsafePointer<Double>?
  ) -> Double {
    let n = utilities.count
    let invT = 1 / p.temperature
    if let logWeights {
      for k in 0..<n { w[k] = utilities[k] * invT + logWeights[k] }
    } else {
      for k in 0..<n { w[k] = utilities[k] * invT }
    }
    w[0] += p.positionBias
    if salient >= 0 && salient < n { w[salient] += p.salienceBias }
    var maxLogit = -Double.infinity
    for k in 0..<n where w[k] > maxLogit { maxLogit = w[k] }
    agora_exp_shifted(w, n, maxLogit)
    var total = 0.0
    for k in 0..<n { total += w[k] }
    return total
  }

  /// The option the uniform draw `u` picks from the weights `w[0..<count]` (summing to `total`) under top-p: the
  /// nucleus is the shortest prefix of the options ranked by weight (ties in prompt order) whose weight reaches
  /// `topP` of the total, and `u` times its weight is spent on its options in prompt order. `nil` when no prefix
  /// reaches it (weights that are not numbers). `order` is scratch.
  @inline(__always)
  static func pick(
    _ w: UnsafeMutablePointer<Double>, count n: Int, total: Double, topP: Double, order: UnsafeMutablePointer<Int>,
    uniform u: Double
  ) -> Int? {
    if topP >= 1 {
      var x = u * total
      for k in 0..<(n - 1) {
        x -= w[k]
        if x < 0 && w[k] > 0 { return k }
      }
      var k = n - 1
      while k > 0 && w[k] == 0 { k -= 1 }
      return k
    }
    // Only options of weight at least the floor can be in the nucleus (``truncateNucleus``): rank those.
    let floor = 0.5 * (1 - topP) / Double(n) * total
    let weights = UnsafeMutableBufferPointer(start: w, count: n)
    var ranked = 0
    for k in 0..<n where w[k] >= floor {
      rank(k, weights, order: order, ranked: ranked)
      ranked += 1
    }
    let kept = nucleus(weights, order: order, ranked: ranked, target: topP * total * (1 - 1e-12))
    guard kept.reached, kept.mass > 0 else { return nil }
    if n <= 64 {
      // The nucleus's options in prompt order as the bits of a mask, lowest first, and the draw among them.
      var mask: UInt64 = 0
      for r in 0..<kept.count { mask |= 1 << UInt64(order[r]) }
      var x = u * kept.mass
      for _ in 0..<(kept.count - 1) {
        let k = mask.trailingZeroBitCount
        mask &= mask &- 1
        x -= w[k]
        if x < 0 { return k }
      }
      return mask.trailingZeroBitCount
    }
    // The nucleus's options in prompt order (a handful: insertion sort), then the draw among them.
    for r in 1..<max(1, kept.count) {
      let k = order[r]
      var j = r
      while j > 0 && order[j - 1] > k {
        order[j] = order[j - 1]
        j -= 1
      }
      order[j] = k
    }
    var x = u * kept.mass
    for r in 0..<(kept.count - 1) {
      x -= w[order[r]]
      if x < 0 { return order[r] }
    }
    return order[kept.count - 1]
  }

  /// The option that a uniform draw `u` in [0, 1) selects from `probabilities` (inverse CDF in prompt order; an
  /// option of probability zero is never selected).
  public static func sample(_ probabilities: UnsafeBufferPointer<Double>, uniform u: Double) -> Int {
    var u = u
    let last = probabilities.count - 1
    for k in 0..<last {
      u -= probabilities[k]
      if u < 0 && probabilities[k] > 0 { return k }
    }
    var k = last
    while k > 0 && probabilities[k] == 0 { k -= 1 }
    return k
  }

  /// Index of the largest value; ties go to the lowest index.
  public static func argmax(_ values: UnsafeBufferPointer<Double>) -> Int {
    var best = 0
    for k in 1..<values.count where values[k] > values[best] { best = k }
    return best
  }

  mutating func computeDistribution(
    utilities: UnsafeBufferPointer<Double>, salient: Int, parameters p: DecodingParameters,
    logWeights: UnsafePointer<Double>? = nil
  ) {
    let n = utilities.count
    precondition(n > 0, "a decision needs at least one option")
    reserve(n)
    count = n
    probabilities.withUnsafeMutableBufferPointer { probabilities in
      order.withUnsafeMutableBufferPointer { order in
        ChoiceDecoder.fill(
          probabilities, n: n, utilities: utilities, salient: salient, parameters: p, order: order.baseAddress!,
          logWeights: logWeights)
      }
    }
  }

  /// Writes the distribution of `n` options into `probabilities[0..<n]`; `order` is scratch.
  static func fill(
    _ probabilities: UnsafeMutableBufferPointer<Double>, n: Int, utilities: UnsafeBufferPointer<Double>, salient: Int,
    parameters p: DecodingParameters, order: UnsafeMutablePointer<Int>, logWeights: UnsafePointer<Double>? = nil
  ) {
    if p.temperature <= ChoiceDecoder.greedyTemperature {
      for k in 0..<n { probabilities[k] = 0 }
      probabilities[ChoiceDecoder.argmax(utilities)] = 1
      return
    }
    // Each step is a loop of its own, so that the element-wise ones vectorise.
    let invT = 1 / p.temperature
    for k in 0..<n { probabilities[k] = utilities[k] * invT }
    if let logWeights {
      for k in 0..<n { probabilities[k] += logWeights[k] }
    }
    probabilities[0] += p.positionBias
    if salient >= 0 && salient < n { probabilities[salient] += p.salienceBias }
    var maxLogit = -Double.infinity
    for k in 0..<n where probabilities[k] > maxLogit { maxLogit = probabilities[k] }
    // e^(logit - max), 4 at a time where the processor allows, the same bits on every machine (CAgoraMath); the
    // best option's is exactly 1.
    agora_exp_shifted(probabilities.baseAddress!, n, maxLogit)
    var total = 0.0
    var mode = 0
    for k in 0..<n {
      total += probabilities[k]
      if probabilities[k] > probabilities[mode] { mode = k }
    }
    let c = p.modeCollapse
    for k in 0..<n { probabilities[k] = (1 - c) * probabilities[k] / total }
    probabilities[mode] += c
    let keepK = p.topK > 0 && p.topK < n
    if keepK || p.topP < 1 {
      truncate(probabilities, n: n, topK: keepK ? p.topK : n, topP: p.topP, order: order)
    }
  }

  /// Zeroes every option outside the top-k and then outside the nucleus, and renormalises.
  ///
  /// Options are ranked by descending probability, ties in prompt order (a stable insertion sort: a decision has
  /// a few dozen options at most).
  static func truncate(
    _ probabilities: UnsafeMutableBufferPointer<Double>, n: Int, topK: Int, topP: Double,
    order: UnsafeMutablePointer<Int>
  ) {
    if topK >= n && truncateNucleus(probabilities, n: n, topP: topP, order: order) { return }
    for k in 0..<n { rank(k, probabilities, order: order, ranked: k) }
    var massK = 0.0
    if topK >= n {
      for k in 0..<n { massK += probabilities[k] }
    } else {
      for r in 0..<topK { massK += probabilities[order[r]] }
    }
    let kept = nucleus(probabilities, order: order, ranked: topK, target: topP * massK * (1 - 1e-12))
    keepFirst(kept.count, of: n, probabilities, order: order, mass: kept.mass)
  }

  /// Top-p alone, ranking only the options of probability at least a floor: those rank first in the ranking of
  /// all options, in the same order, so when their prefix reaches the nucleus the result is the one of ranking
  /// all. At `(1 - topP) / 2n` the options below the floor hold less than half the mass the nucleus leaves out, so
  /// it always does unless the probabilities are not numbers; then this returns false, changing nothing.
  static func truncateNucleus(
    _ probabilities: UnsafeMutableBufferPointer<Double>, n: Int, topP: Double, order: UnsafeMutablePointer<Int>
  ) -> Bool {
    var mass = 0.0
    for k in 0..<n { mass += probabilities[k] }
    let floor = 0.5 * (1 - topP) / Double(n)
    var ranked = 0
    for k in 0..<n where probabilities[k] >= floor {
      rank(k, probabilities, order: order, ranked: ranked)
      ranked += 1
    }
    let kept = nucleus(probabilities, order: order, ranked: ranked, target: topP * mass * (1 - 1e-12))
    guard kept.reached else { return false }
    for k in 0..<n where !(probabilities[k] >= floor) { probabilities[k] = 0 }
    keepFirst(kept.count, of: ranked, probabilities, order: order, mass: kept.mass)
    return true
  }

  /// The shortest prefix of the ranking `order[0..<ranked]` whose mass reaches `target` (the whole ranking when
  /// none does), its mass, and whether it reached the target.
  @inline(__always)
  static func nucleus(
    _ probabilities: UnsafeMutableBufferPointer<Double>, order: UnsafeMutablePointer<Int>, ranked: Int,
    target: Double
  ) -> (count: Int, mass: Double, reached: Bool) {
    var mass = 0.0
    var count = 0
    while count < ranked {
      mass += probabilities[order[count]]
      count += 1
      if mass >= target { return (count, mass, true) }
    }
    return (count, mass, false)
  }

  /// Keeps the first `keep` options of the ranking `order[0..<ranked]`, divided by their `mass`, and zeroes the
  /// rest of the ranking.
  @inline(__always)
  static func keepFirst(
    _ keep: Int, of ranked: Int, _ probabilities: UnsafeMutableBufferPointer<Double>,
    order: UnsafeMutablePointer<Int>, mass: Double
  ) {
    for r in keep..<ranked { probabilities[order[r]] = 0 }
    for r in 0..<keep { probabilities[order[r]] /= mass }
  }

  /// Inserts option `k` into the ranking `order[0..<ranked]` (descending probability, ties in prompt order).
  @inline(__always)
  static func rank(
    _ k: Int, _ probabilities: UnsafeMutableBufferPointer<Double>, order: UnsafeMutablePointer<Int>, ranked: Int
  ) {
    let pk = probabilities[k]
    var j = ranked
    while j > 0 && probabilities[order[j - 1]] < pk {
      order[j] = order[j - 1]
      j -= 1
    }
    order[j] = k
  }
}
