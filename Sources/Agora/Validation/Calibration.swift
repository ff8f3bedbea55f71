import AgoraCore
import AgoraOutput
import AgoraScenario
import AgoraSweep
import CGSL
import Foundation

/// Fits a preset's parameters to its published targets by the simulated method of moments: minimises
/// `sum z^2 + 20 max(0, |z| - 3/4)^2`, `z = (simulated - target) / tolerance`, over the parameter box with GSL's Nelder-Mead simplex
/// (`gsl_multimin_fminimizer_nmsimplex2`), each parameter mapped to the real line by a logistic transform.
/// Simulations use fixed seeds (common random numbers), so the objective is deterministic.
public struct Calibration {
  /// One target with its simulated value.
  public struct Row: Sendable {
    public var target: ValidationTarget
    public var simulated: Double
    /// Whether the target was left out of the fit (``PopulationPreset/heldOut``): an out-of-sample check.
    public var heldOut = false
    /// Whether the simulated value is within the target's tolerance.
    public var passes: Bool { abs(simulated - target.target) <= target.tolerance }
  }

  public var preset: PopulationPreset
  public var targets: [ValidationTarget]
  public var seed: UInt64 = 1
  /// How many seeds (``seed``, ``seed`` + 1, ...) the fit's objective sums its loss over: a fit on one seed can sit at
  /// a tolerance's edge where another seed's noise crosses it.
  public var fitSeeds = 1

  /// The targets the fit minimises the loss over: all but the preset's held-out ones.
  public var fitted: [ValidationTarget] { targets.filter { !preset.holdsOut($0.game, $0.statistic) } }

  /// `preset` with the rows of `targets` meant for it (every row when the file has no `preset` column).
  public init(preset: PopulationPreset, targets: [ValidationTarget]) throws(SweepError) {
    self.preset = preset
    self.targets = targets.filter { $0.preset == nil || $0.preset == preset.name }
    for t in self.targets where ValidationRecipe.of(t) == nil {
      throw .scenario(
        ScenarioIssue(
          path: "\(t.game).\(t.statistic)", value: t.condition,
          message: "no validation recipe measures this statistic (see Validation/ValidationRecipe.swift)"))
    }
  }

  /// The simulated value of every target (of the fitted ones only, with `fittedOnly`) with `values` for the
  /// preset's parameters; targets measured in the same experiment share one run.
  public func evaluate(_ values: [String: Double] = [:], fittedOnly: Bool = false, seed: UInt64? = nil) throws
    -> [Row]
  {
    let seed = seed ?? self.seed
    var runs: [String: RunResult] = [:]
    return try (fittedOnly ? fitted : targets).map { t in
      let recipe = ValidationRecipe.of(t)!
      let result: RunResult
      if let done = runs[recipe.experiment] {
        result = done
      } else {
        result = try recipe.play(preset, values, seed: seed)
        runs[recipe.experiment] = result
      }
      return Row(
        target: t, simulated: recipe.read(result),
        heldOut: preset.holdsOut(t.game, t.statistic))
    }
  }

  /// The objective: the sum of squared errors in units of each target's tolerance, plus a steep penalty on each
  /// error beyond 3/4 of its tolerance (over the rows given: the fit passes only the fitted targets' rows). A
  /// target is an interval: the penalty makes the fit prefer every target well inside its tolerance to a smaller
  /// sum of squares with one outside (issue 17: the human preset's fit had left its mean offer out).
  public func loss(_ rows: [Row]) -> Double {
    rows.reduce(0) { sum, r in
      let z = (r.simulated - r.target.target) / r.target.tolerance
      let beyond = max(0, abs(z) - Self.penaltyFrom)
      return sum + (z.isFinite ? z * z + Self.penalty * beyond * beyond : 1e6)
    }
  }

  /// Where the loss's penalty starts, in tolerances, and its weight.
  static let penaltyFrom = 0.75
  static let penalty = 20.0

  /// Runs Nelder-Mead from the preset's current values for at most `evaluations` objective evaluations, then from
  /// `starts - 1` points drawn uniformly in the box (GSL's generator seeded with ``seed``), then once more from the
  /// best point found (a restart that escapes a collapsed simplex); returns the fitted preset and its loss.
  /// `report` receives (evaluation, best loss so far).
  public func fit(evaluations: Int, starts: Int = 1, report: ((Int, Double) -> Void)? = nil) throws -> (
    PopulationPreset, Double
  ) {
    var (best, bestLoss) = try minimize(from: preset.values, evaluations: evaluations, report: report)
    let stream = RandomStream(generator: .mt19937, seed: seed)
    for _ in 1..<max(1, starts) {
      var start: [String: Double] = [:]
      for p in preset.parameters { start[p.name] = p.lower + (p.upper - p.lower) * stream.uniform() }
      let (values, loss) = try minimize(from: start, evaluations: evaluations, report: report)
      if loss < bestLoss { (best, bestLoss) = (values, loss) }
    }
    if starts > 1 {
      let (values, loss) = try minimize(from: best, evaluations: evaluations, report: report)
      if loss < bestLoss { (best, bestLoss) = (values, loss) }
    }
    return (preset.with(best), bestLoss)
  }

  /// One Nelder-Mead descent from `start` (the preset's values where missing): the best values seen and their loss.
  func minimize(from initial: [String: Double], evaluations: Int, report: ((Int, Double) -> Void)?) throws -> (
    [String: Double], Double
  ) {
    let parameters = preset.parameters
    let n = parameters.count
    func values(_ x: [Double]) -> [String: Double] {
      var out: [String: Double] = [:]
      for (k, p) in parameters.enumerated() {
        let z = x[k]
        out[p.name] = p.lower + (p.upper - p.lower) / (1 + Foundation.exp(-z))
      }
      return out
    }
    var best = Double.infinity
    var bestValues = preset.values.merging(initial) { $1 }
    var failure: (any Error)? = nil
    var count = 0
    let start = parameters.map { p in
      let value = initial[p.name] ?? p.value
      let u = min(max((value - p.lower) / (p.upper - p.lower), 1e-3), 1 - 1e-3)
      return Foundation.log(u / (1 - u))
    }
    _ = NelderMead.minimize(start: start, step: [Double](repeating: 0.8, count: n), evaluations: evaluations) { x in
      let v = values(x)
      do {
        var l = 0.0
        for k in 0..<UInt64(max(1, self.fitSeeds)) {
          l += self.loss(try self.evaluate(v, fittedOnly: true, seed: self.seed + k)) / Double(max(1, self.fitSeeds))
        }
        count += 1
        if l < best {
          best = l
          bestValues = v
        }
        report?(count, best)
        return l
      } catch {
        failure = failure ?? error
        return nil
      }
    }
    if let failure { throw failure }
    return (bestValues, best)
  }
}
