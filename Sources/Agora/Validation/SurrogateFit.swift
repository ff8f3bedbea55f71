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
  }

  /// The fitted values: the motives (self weight 1) and the decoding parameters.
  public struct Estimate: Sendable, Equatable {
    public var temperature: Double
    public var motives: [Preference: Double]
    public var salienceBias: Double
    public var positionBias: Double
    public var modeCollapse: Double
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
  public var estimate: Estimate
  public var fitted: Score
  public var heldOut: Score

  /// Reads `segment`'s decisions from a transcript: every decision the model made (not a decoder's fallback) that
  /// carries its utilities by motive.
  public static func decisions(transcript path: String, segment: String) throws -> [Decision] {
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
      throw SurrogateFitError.unreadable(path)
    }
    var out: [Decision] = []
    for (n, line) in text.split(separator: "\n").enumerated() {
      guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
        throw SurrogateFitError.badLine(path, n + 1)
      }
      guard object["segment"] as? String == segment, object["fallback"] as? Bool == false,
        let rows = object["utility_basis"] as? [[Double]], let choice = object["choice"] as? Int,
        let salient = object["salient"] as? Int, let amount = object["amount"] as? Bool,
        rows.allSatisfy({ $0.count == SurrogateFeatures.motives.count }), choice >= 1, choice <= rows.count
      else { continue }
      out.append(
        Decision(
          kind: object["kind"] as? String ?? "",
          features: SurrogateFeatures(
            basis: rows.flatMap { $0 },
            salient: salient, amount: amount), choice: choice - 1))
    }
    return out
  }

  /// Fits the surrogate to `decisions` (every fifth held out) with Nelder-Mead from a few starts, over `motives`
  /// (each then a fitted constant >= 0; the rest 0), by default ``identified(_:)``'s.
  public init(decisions: [Decision], motives chosen: [Preference]? = nil, evaluations: Int = 3000) throws {
    guard decisions.count >= 10 else { throw SurrogateFitError.tooFew(decisions.count) }
    self.decisions = decisions
    let train = decisions.enumerated().filter { $0.offset % 5 != 4 }.map(\.element)
    let test = decisions.enumerated().filter { $0.offset % 5 == 4 }.map(\.element)
    motives = chosen ?? Self.identified(train)
    let layout = Layout(motives: motives)
    var best: (point: [Double], value: Double)? = nil
    for temperature in [0.05, 0.2, 1] {
      var start = [Double](repeating: 0, count: layout.size)
      start[0] = log(temperature)
      for k in layout.motiveRange { start[k] = -1 }
      start[layout.modeCollapse] = -4
      let result = NelderMead.minimize(
        start: start, step: [Double](repeating: 0.7, count: layout.size), evaluations: evaluations, tolerance: 1e-5
      ) { -Self.logLikelihood(train, layout.estimate($0)) }
      if best == nil || result.value < best!.value { best = (result.point, result.value) }
    }
    estimate = layout.estimate(best!.point)
    fitted = Self.score(train, estimate)
    heldOut = Self.score(test, estimate)
  }

  /// The motives the decisions identify beside the temperature, in ``SurrogateFeatures/motives`` order: a motive
  /// is kept when its utilities, centred within each decision (the decoder ignores a constant), are linearly
  /// independent of the self weight's and of the motives kept before it. (The dictator's altruism is its self
  /// weight's mirror, and its envy and guilt together span the self weight, so one of them goes.)
  public static func identified(_ decisions: [Decision]) -> [Preference] {
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
    for (d, motive) in SurrogateFeatures.motives.enumerated() {
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
    return kept
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
      for (k, motive) in motives.enumerated() { values[motive] = log1p(exp(x[1 + k])) }
      return Estimate(
        temperature: exp(x[0]), motives: values, salienceBias: x[salience], positionBias: x[position],
        modeCollapse: 1 / (1 + exp(-x[modeCollapse])))
    }
  }

  /// The surrogate's probabilities of a decision's options (the decoder's, without top-p).
  public static func probabilities(_ decision: Decision, _ e: Estimate) -> [Double] {
    let f = decision.features
    let n = f.count
    let width = SurrogateFeatures.motives.count
    let weights = SurrogateFeatures.motives.map { $0 == .selfWeight ? 1 : e.motives[$0] ?? 0 }
    let logWeights = f.amount ? AmountGrid(count: max(n, 2)).logWeights(focalMass: 0) : []
    var logits = (0..<n).map { k in
      var u = 0.0
      for d in 0..<width { u += weights[d] * f.basis[k * width + d] }
      return u / e.temperature + (f.amount ? logWeights[k] : 0)
    }
    logits[0] += e.positionBias
    if f.salient >= 0 && f.salient < n { logits[f.salient] += e.salienceBias }
    let top = logits.max() ?? 0
    var p = logits.map { exp($0 - top) }
    let total = p.reduce(0, +)
    let mode = p.indices.max { p[$0] < p[$1] || (p[$0] == p[$1] && $0 > $1) } ?? 0
    p = p.map { (1 - e.modeCollapse) * $0 / total }
    p[mode] += e.modeCollapse
    return p
  }

  /// The total log-likelihood of `decisions`' choices under `e`.
  static func logLikelihood(_ decisions: [Decision], _ e: Estimate) -> Double {
    decisions.reduce(0) { $0 + log(max(probabilities($1, e)[$1.choice], 1e-300)) }
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

  public var description: String {
    switch self {
    case .unreadable(let path): "cannot read \(path) (a run of policy: llm agents writes transcripts.jsonl)"
    case .badLine(let path, let line): "\(path), line \(line): not a JSON object"
    case .tooFew(let n):
      "\(n) decisions of the segment carry their utilities by motive; a fit needs at least 10 (the division games "
        + "write them: ultimatum and dictator)"
    }
  }
}
