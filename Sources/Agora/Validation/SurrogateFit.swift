import AgoraCore
import Foundation

/// A decoder segment fitted by maximum likelihood to the choices a language-model segment made (issue 19, item 5):
/// the decisions come from a run's `transcripts.jsonl` (each with its utilities by motive, ``SurrogateFeatures``),
/// and the surrogate is a homogeneous segment (its motives constants, its own weight 1) with the decoding
/// parameters that make the model's choices most likely. One decision in five is held out of the fit and scored
/// apart, so the report says how well the surrogate predicts choices it never saw.
public struct SurrogateFit: Sendable {
  /// One decision of the segment: its options' utilities by motive, the decoder's other inputs, the model's choice.
  public struct Decision: Sendable {
    public var kind: String
    public var features: SurrogateFeatures
    /// The chosen option (0-based).
    public var choice: Int
    /// The agent that decided (a mixture's type is the agent's, for all its decisions).
    public var agent: Int
    /// The log measures of the options when they are amounts on a grid (``AmountGrid``, focal mass 0), else empty:
    /// made once, as the fit scores the decision thousands of times.
    public let grid: [Double]

    public init(kind: String, features: SurrogateFeatures, choice: Int, agent: Int = 0) {
      self.kind = kind
      self.features = features
      self.choice = choice
      self.agent = agent
      grid = features.amount ? AmountGrid(count: max(features.count, 2)).logWeights(focalMass: 0) : []
    }
  }

  /// One type of a mixture surrogate: its share of the agents and its decoder.
  public struct MixtureType: Sendable, Equatable {
    public var share: Double
    public var estimate: Estimate
  }

  /// The fitted values: the motives (self weight 1) and the decoding parameters.
  public struct Estimate: Sendable, Equatable {
    public var temperature: Double
    public var motives: [Preference: Double]
    public var salienceBias: Double
    public var positionBias: Double
    public var modeCollapse: Double

    /// The weight of each motive of the basis (``SurrogateFeatures/motives`` order): the self weight 1, the fitted
    /// motives, 0 for the rest.
    public var basisWeights: [Double] { SurrogateFeatures.motives.map { $0 == .selfWeight ? 1 : motives[$0] ?? 0 } }
  }

  /// The fit's score on one set of decisions: mean log-likelihood per decision, and that of choosing uniformly.
  public struct Score: Sendable, Equatable {
    public var decisions: Int
    public var logLikelihood: Double
    public var uniform: Double
  }

  public var decisions: [Decision]
  /// The motives that the decisions can identify (some decision's options differ in their utility under them).
  public var motives: [Preference]
  /// The homogeneous fit: one decoder for every agent.
  public var estimate: Estimate
  public var fitted: Score
  public var heldOut: Score
  /// The mixture of `types` decoders (``init(decisions:motives:evaluations:types:)``), each agent of one type for
  /// all its decisions, sharing the salience and position biases and the mode collapse; the homogeneous fit when
  /// one type was asked for.
  public var mixture: [MixtureType]
  /// The mixture's scores: the fitted decisions' (each agent's likelihood summed over the types, per decision) and
  /// the held-out decisions' (each predicted with its agent's type as the fitted decisions reveal it).
  public var mixtureFitted: Score
  public var mixtureHeldOut: Score

  /// Reads `segments`' decisions from a transcript, pooled: every decision the model made (not a decoder's
  /// fallback) that carries its utilities by motive.
  public static func decisions(transcript path: String, segments: [String]) throws -> [Decision] {
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
      throw SurrogateFitError.unreadable(path)
    }
    var out: [Decision] = []
    var seen = Set<String>()
    for (n, line) in text.split(separator: "\n").enumerated() {
      guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
        throw SurrogateFitError.badLine(path, n + 1)
      }
      if let name = object["segment"] as? String { seen.insert(name) }
      guard let segment = object["segment"] as? String, segments.contains(segment),
        object["fallback"] as? Bool == false,
        let rows = object["utility_basis"] as? [[Double]], let choice = object["choice"] as? Int,
        let salient = object["salient"] as? Int, let amount = object["amount"] as? Bool,
        rows.allSatisfy({ $0.count == SurrogateFeatures.motives.count }), choice >= 1, choice <= rows.count
      else { continue }
      out.append(
        Decision(
          kind: object["kind"] as? String ?? "",
          features: SurrogateFeatures(basis: rows.flatMap { $0 }, salient: salient, amount: amount),
          choice: choice - 1, agent: object["agent_id"] as? Int ?? 0))
    }
    if let unknown = segments.first(where: { !seen.contains($0) }) {
      throw SurrogateFitError.unknownSegment(unknown, seen.sorted())
    }
    return out
  }

  /// Fits the surrogate to `decisions` (every fifth held out) with Nelder-Mead from a few starts, over `motives`
  /// (each then a fitted constant >= 0; the rest 0), by default ``identified(_:)``'s.
  public init(decisions: [Decision], motives chosen: [Preference]? = nil, evaluations: Int = 3000, types: Int = 1)
    throws
  {
    guard decisions.count >= 10 else { throw SurrogateFitError.tooFew(decisions.count) }
    guard (1...Self.mostTypes).contains(types) else { throw SurrogateFitError.types(types) }
    self.decisions = decisions
    let train = decisions.enumerated().filter { $0.offset % 5 != 4 }.map(\.element)
    let test = decisions.enumerated().filter { $0.offset % 5 == 4 }.map(\.element)
    // Motives that span the same utilities once the self weight is fixed at 1 are not interchangeable: only
    // non-negative weights are fitted, so guilt (giving up to half) and envy (refusing to be behind) make different
    // decoders. Without a choice, both orders are fitted and the likelier kept.
    let candidates =
      chosen.map { [$0] }
      ?? [Self.identified(train), Self.identified(train, guiltFirst: true)].reduce(into: [[Preference]]()) {
        if !$0.contains($1) { $0.append($1) }
      }
    var best: (point: [Double], value: Double, layout: Layout)? = nil
    for candidate in candidates {
      let layout = Layout(motives: candidate)
      for temperature in [0.05, 0.2, 1] {
        var start = [Double](repeating: 0, count: layout.size)
        start[0] = log(temperature)
        for k in layout.motiveRange { start[k] = -1 }
        start[layout.modeCollapse] = -4
        let result = NelderMead.minimize(
          start: start, step: [Double](repeating: 0.7, count: layout.size), evaluations: evaluations,
          tolerance: 1e-5
        ) { -Self.logLikelihood(train, layout.estimate($0)) }
        if best == nil || result.value < best!.value { best = (result.point, result.value, layout) }
      }
    }
    let layout = best!.layout
    motives = layout.motives
    estimate = layout.estimate(best!.point)
    fitted = Self.score(train, estimate)
    heldOut = Self.score(test, estimate)
    mixture = [MixtureType(share: 1, estimate: estimate)]
    (mixtureFitted, mixtureHeldOut) = (fitted, heldOut)
    guard types > 1 else { return }
    // The mixture: from the homogeneous fit, types spread apart in their temperature and motives, equal shares.
    let mix = MixtureLayout(single: layout, types: types)
    let groups = Self.byAgent(train)
    var bestMixture: (point: [Double], value: Double)? = nil
    // Three starts: every type the homogeneous fit (so the mixture ends no less likely than it), and two spreads.
    for spread in [0, 1.5, 3.0] {
      var start = [Double](repeating: 0, count: mix.size)
      for t in 0..<types {
        let offset = spread * (Double(t) / Double(types - 1) - 0.5)
        start[mix.typeBase(t)] = best!.point[0] - offset
        for k in layout.motiveRange { start[mix.typeBase(t) + k] = best!.point[k] + offset }
      }
      for k in 0..<3 { start[mix.shared + k] = best!.point[layout.salience + k] }
      let result = NelderMead.minimize(
        start: start, step: [Double](repeating: 0.7, count: mix.size), evaluations: evaluations,
        tolerance: 1e-5
      ) { -Self.mixtureLogLikelihood(groups, mix.types($0)) }
      if bestMixture == nil || result.value < bestMixture!.value { bestMixture = (result.point, result.value) }
    }
    mixture = mix.types(bestMixture!.point).sorted { $0.share > $1.share }
    mixtureFitted = Score(
      decisions: train.count, logLikelihood: -bestMixture!.value / Double(max(1, train.count)),
      uniform: fitted.uniform)
    mixtureHeldOut = Self.predictiveScore(test, given: groups, mixture)
  }

  /// The most types a mixture surrogate may have.
  public static let mostTypes = 5

  /// The decisions grouped by agent, agents in the order they first decided.
  static func byAgent(_ decisions: [Decision]) -> [[Decision]] {
    var index: [Int: Int] = [:]
    var groups: [[Decision]] = []
    for d in decisions {
      if let g = index[d.agent] {
        groups[g].append(d)
      } else {
        index[d.agent] = groups.count
        groups.append([d])
      }
    }
    return groups
  }

  /// The log-likelihood of each agent's choices summed over the mixture's types: for each agent,
  /// `log sum_k share_k prod_d p_k(d)`, summed over the agents.
  static func mixtureLogLikelihood(_ groups: [[Decision]], _ types: [MixtureType]) -> Double {
    groups.reduce(0) { total, group in total + logSumExp(typeLogLikelihoods(group, types)) }
  }

  /// `log share_k + sum_d log p_k(d)` for each type k.
  static func typeLogLikelihoods(_ group: [Decision], _ types: [MixtureType]) -> [Double] {
    types.map { t in
      let weights = t.estimate.basisWeights
      return group.reduce(log(max(t.share, 1e-300))) { $0 + logProbability($1, t.estimate, weights: weights) }
    }
  }

  static func logSumExp(_ x: [Double]) -> Double {
    let top = x.max() ?? 0
    return top + log(x.reduce(0) { $0 + exp($1 - top) })
  }

  /// The held-out decisions' mean log-likelihood under the mixture, each predicted with its agent's posterior over
  /// the types given its fitted decisions (the prior shares for an agent with none).
  static func predictiveScore(_ test: [Decision], given groups: [[Decision]], _ types: [MixtureType]) -> Score {
    var posterior: [Int: [Double]] = [:]
    for group in groups {
      let l = typeLogLikelihoods(group, types)
      let total = logSumExp(l)
      posterior[group[0].agent] = l.map { exp($0 - total) }
    }
    let n = Double(max(1, test.count))
    let total = test.reduce(0.0) { sum, d in
      let w = posterior[d.agent] ?? types.map(\.share)
      let p = zip(w, types).reduce(0.0) { $0 + $1.0 * probabilities(d, $1.1.estimate)[d.choice] }
      return sum + log(max(p, 1e-300))
    }
    return Score(
      decisions: test.count, logLikelihood: total / n,
      uniform: -test.reduce(0) { $0 + log(Double($1.features.count)) } / n)
  }

  /// The mixture's mean probability of each option of `decision` (its types' weighted by their shares).
  public func mixtureProbabilities(_ decision: Decision) -> [Double] {
    var p = [Double](repeating: 0, count: decision.features.count)
    for t in mixture {
      for (k, q) in Self.probabilities(decision, t.estimate).enumerated() { p[k] += t.share * q }
    }
    return p
  }

  /// The motives the decisions identify beside the temperature, in ``SurrogateFeatures/motives`` order: a motive
  /// is kept when its utilities, centred within each decision (the decoder ignores a constant), are linearly
  /// independent of the self weight's and of the motives kept before it. (The dictator's altruism is its self
  /// weight's mirror, and its envy and guilt together span the self weight, so one of them goes.)
  /// With `guiltFirst`, guilt is tried before envy.
  public static func identified(_ decisions: [Decision], guiltFirst: Bool = false) -> [Preference] {
    let width = SurrogateFeatures.motives.count
    func column(_ d: Int) -> [Double] {
      decisions.flatMap { decision -> [Double] in
        let values = (0..<decision.features.count).map { decision.features.basis[$0 * width + d] }
        let mean = values.reduce(0, +) / Double(max(1, values.count))
        return values.map { $0 - mean }
      }
    }
    func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }
    var basis: [[Double]] = []
    var kept: [Preference] = []
    var order = Array(SurrogateFeatures.motives.enumerated())
    if guiltFirst, let e = order.firstIndex(where: { $0.element == .envy }),
      let g = order.firstIndex(where: { $0.element == .guilt })
    {
      order.swapAt(e, g)
    }
    for (d, motive) in order {
      var v = column(d)
      let norm = dot(v, v).squareRoot()
      guard norm > 1e-9 else { continue }
      for b in basis {
        let c = dot(v, b)
        for i in v.indices { v[i] -= c * b[i] }
      }
      let residual = dot(v, v).squareRoot()
      guard residual > 1e-6 * norm else { continue }
      basis.append(v.map { $0 / residual })
      if motive != .selfWeight { kept.append(motive) }
    }
    return SurrogateFeatures.motives.filter(kept.contains)
  }

  /// Where each fitted value sits in the minimiser's vector: log temperature, the motives (softplus, so >= 0), the
  /// salience and position biases, and the mode collapse (logistic).
  struct Layout {
    let motives: [Preference]
    var size: Int { motives.count + 4 }
    var motiveRange: Range<Int> { 1..<(1 + motives.count) }
    var salience: Int { 1 + motives.count }
    var position: Int { 2 + motives.count }
    var modeCollapse: Int { 3 + motives.count }

    func estimate(_ x: [Double]) -> Estimate {
      var values: [Preference: Double] = [:]
      // Softplus, without overflow far out.
      for (k, motive) in motives.enumerated() { values[motive] = x[1 + k] > 30 ? x[1 + k] : log1p(exp(x[1 + k])) }
      return Estimate(
        temperature: exp(x[0]), motives: values, salienceBias: x[salience], positionBias: x[position],
        modeCollapse: 1 / (1 + exp(-x[modeCollapse])))
    }
  }

  /// Where each fitted value of a mixture sits: each type's log temperature and motives (as ``Layout``), then the
  /// shared salience and position biases and mode collapse, then the shares' logits (the first type's fixed at 0).
  struct MixtureLayout {
    let single: Layout
    let types: Int
    var perType: Int { 1 + single.motives.count }
    func typeBase(_ t: Int) -> Int { t * perType }
    var shared: Int { types * perType }
    var size: Int { shared + 3 + types - 1 }

    func types(_ x: [Double]) -> [MixtureType] {
      let logits = [0] + x[(shared + 3)...]
      let top = logits.max() ?? 0
      let weights = logits.map { exp($0 - top) }
      let total = weights.reduce(0, +)
      return (0..<types).map { t in
        var point = [Double](repeating: 0, count: single.size)
        point[0] = x[typeBase(t)]
        for k in single.motiveRange { point[k] = x[typeBase(t) + k] }
        for k in 0..<3 { point[single.salience + k] = x[shared + k] }
        return MixtureType(share: weights[t] / total, estimate: single.estimate(point))
      }
    }
  }

  /// The decoder's logits of `decision`'s options under `e` into `out`: the utilities under the motives' `weights`
  /// (``Estimate/basisWeights``) over the temperature, the grid's measures, the position and salience biases; and
  /// the largest logit with its option (the first of equals), the mode that mode collapse favours.
  @inline(__always)
  static func logits(
    _ decision: Decision, _ e: Estimate, weights: [Double], into out: UnsafeMutablePointer<Double>
  ) -> (top: Double, mode: Int) {
    let f = decision.features
    let width = SurrogateFeatures.motives.count
    var top = -Double.infinity
    var mode = 0
    f.basis.withUnsafeBufferPointer { basis in
      for k in 0..<f.count {
        var u = 0.0
        for d in 0..<width { u += weights[d] * basis[k * width + d] }
        var logit = u / e.temperature + (f.amount ? decision.grid[k] : 0)
        if k == 0 { logit += e.positionBias }
        if k == f.salient { logit += e.salienceBias }
        out[k] = logit
        if logit > top {
          top = logit
          mode = k
        }
      }
    }
    return (top, mode)
  }

  /// The surrogate's probabilities of a decision's options (the decoder's, without top-p).
  public static func probabilities(_ decision: Decision, _ e: Estimate) -> [Double] {
    let n = decision.features.count
    var p = [Double](repeating: 0, count: n)
    let (top, mode) = p.withUnsafeMutableBufferPointer {
      logits(decision, e, weights: e.basisWeights, into: $0.baseAddress!)
    }
    p = p.map { exp($0 - top) }
    let total = p.reduce(0, +)
    p = p.map { (1 - e.modeCollapse) * $0 / total }
    p[mode] += e.modeCollapse
    return p
  }

  /// The log-probability of `decision`'s choice under `e` (``probabilities(_:_:)``'s, without making the array: the
  /// fit's objective evaluates it for every decision thousands of times), with `e`'s ``Estimate/basisWeights``.
  static func logProbability(_ decision: Decision, _ e: Estimate, weights: [Double]) -> Double {
    let n = decision.features.count
    return withUnsafeTemporaryAllocation(of: Double.self, capacity: n) { buffer in
      let (top, mode) = logits(decision, e, weights: weights, into: buffer.baseAddress!)
      var total = 0.0
      for k in 0..<n { total += exp(buffer[k] - top) }
      var p = (1 - e.modeCollapse) * exp(buffer[decision.choice] - top) / total
      if decision.choice == mode { p += e.modeCollapse }
      // Not a number (an infinite utility) counts as impossible, as a probability below 1e-300 does.
      return p > 1e-300 ? log(p) : log(1e-300)
    }
  }

  /// The total log-likelihood of `decisions`' choices under `e`.
  static func logLikelihood(_ decisions: [Decision], _ e: Estimate) -> Double {
    let weights = e.basisWeights
    return decisions.reduce(0) { $0 + logProbability($1, e, weights: weights) }
  }

  static func score(_ decisions: [Decision], _ e: Estimate) -> Score {
    let n = Double(max(1, decisions.count))
    return Score(
      decisions: decisions.count, logLikelihood: logLikelihood(decisions, e) / n,
      uniform: -decisions.reduce(0) { $0 + log(Double($1.features.count)) } / n)
  }
}

/// Why a surrogate cannot be fitted.
public enum SurrogateFitError: Error, CustomStringConvertible {
  case unreadable(String)
  case badLine(String, Int)
  case tooFew(Int)
  case types(Int)
  case unknownSegment(String, [String])

  public var description: String {
    switch self {
    case .unreadable(let path): "cannot read \(path) (a run of policy: llm agents writes transcripts.jsonl)"
    case .badLine(let path, let line): "\(path), line \(line): not a JSON object"
    case .tooFew(let n):
      "\(n) decisions of the segment carry their utilities by motive; a fit needs at least 10 (the division games "
        + "write them: ultimatum, dictator, trust, public goods, the prisoner's dilemma, negotiation and the persuasion "
        + "buyer's decisions)"
    case .types(let n): "\(n) types: a mixture surrogate has 1 to \(SurrogateFit.mostTypes)"
    case .unknownSegment(let name, let seen):
      "no language-model decisions of segment '\(name)' in the transcript (its segments: "
        + (seen.isEmpty ? "none" : seen.joined(separator: ", ")) + ")"
    }
  }
}
