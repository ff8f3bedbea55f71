/// `output.reporters[i]`: a model-level reporter, one extra column of `steps.csv` computed at every step from a
/// per-agent value (`of`: a name `output.agent_steps.columns` accepts), optionally among one segment's agents.
/// Agents whose value is empty (an agent that has not proposed yet has no `offer`) are left out.
public struct ReporterSpec: Sendable, Codable, Hashable {
  /// The column's name in `steps.csv` (snake_case; no clash with a column the run writes).
  public var name: String
  /// The per-agent value it summarizes.
  public var of: AgentSteps.Value
  /// The statistic over the agents.
  public var stat: Statistic
  /// The quantile's level in [0, 1] (`stat: quantile`).
  public var q: Double? = nil
  /// The threshold of `share_above` and `share_below`.
  public var value: Double? = nil
  /// The segment whose agents count (all agents when `nil`).
  public var segment: String? = nil

  /// A statistic over the agents' values.
  public enum Statistic: String, Sendable, Codable, Hashable, CaseIterable {
    case mean, sd, min, max, quantile, gini
    case shareAbove = "share_above"
    case shareBelow = "share_below"
  }

  enum CodingKeys: String, CodingKey, CaseIterable { case name, of, stat, q, value, segment }

  public init(name: String, of: AgentSteps.Value, stat: Statistic, q: Double? = nil, value: Double? = nil) {
    (self.name, self.of, self.stat, self.q, self.value) = (name, of, stat, q, value)
  }

  /// The statistic of `values` (the agents' values, empty ones already left out); NaN (an empty cell) when there
  /// are none, and for a Gini of values that are not all non-negative. `sd` is the population standard deviation,
  /// `quantile` interpolates linearly between order statistics (R's type 7).
  public func compute(_ values: [Double]) -> Double {
    guard !values.isEmpty else { return .nan }
    let n = Double(values.count)
    switch stat {
    case .mean: return values.reduce(0, +) / n
    case .sd:
      let mean = values.reduce(0, +) / n
      return (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n).squareRoot()
    case .min: return values.min() ?? .nan
    case .max: return values.max() ?? .nan
    case .quantile:
      let sorted = values.sorted()
      let h = (n - 1) * (q ?? 0.5)
      let lower = Int(h.rounded(.down))
      let upper = Swift.min(lower + 1, sorted.count - 1)
      return sorted[lower] + (h - Double(lower)) * (sorted[upper] - sorted[lower])
    case .shareAbove: return Double(values.count { $0 > value ?? 0 }) / n
    case .shareBelow: return Double(values.count { $0 < value ?? 0 }) / n
    case .gini: return (try? Inequality.gini(values)) ?? .nan
    }
  }

  /// What the column holds, built from the definition (its data dictionary entry).
  public var meaning: String {
    let what: String
    switch stat {
    case .mean: what = "mean"
    case .sd: what = "standard deviation (population)"
    case .min: what = "minimum"
    case .max: what = "maximum"
    case .quantile: what = "quantile \(q ?? 0.5) (linear interpolation)"
    case .shareAbove: what = "share of agents with a value above \(value ?? 0)"
    case .shareBelow: what = "share of agents with a value below \(value ?? 0)"
    case .gini: what = "Gini coefficient"
    }
    let among = segment.map { " among segment `\($0)`'s agents" } ?? " over the agents"
    return "reporter `\(name)`: \(what) of the agents' `\(of.rawValue)`\(among) at the step (agents whose value is "
      + "empty left out; empty when none is left)"
  }

  /// Its column in `steps.csv`, with the unit of the value it summarizes (a share for the shares and the Gini).
  public func column(unitOf source: Column?) -> Column {
    let share = [.shareAbove, .shareBelow, .gini].contains(stat)
    return Column(name, unit: share ? Column.Unit.share : source?.unit ?? "", meaning)
  }
}

extension ReporterSpec {
  public init(from decoder: any Decoder) throws {
    try decoder.checkKeys(CodingKeys.allCases.map(\.rawValue))
    let c = try decoder.container(keyedBy: CodingKeys.self)
    name = try c.value(.name, allowed: "a snake_case column name (a-z, 0-9, _; starting with a letter)") {
      (name: String) in
      name.first?.isLetter == true && name.allSatisfy { ($0.isLowercase && $0.isASCII) || $0.isNumber || $0 == "_" }
    }
    of = AgentSteps.Value(rawValue: try c.value(.of, allowed: "a per-agent value (payoff, interactions, ...)"))
    stat = try c.choice(.stat)
    switch stat {
    case .quantile:
      q = try c.value(.q, allowed: "a number in [0, 1] (the quantile's level)") { (0...1).contains($0) }
    case .shareAbove, .shareBelow:
      value = try c.value(.value, allowed: "a finite number (the threshold)") { (v: Double) in v.isFinite }
    default: break
    }
    if stat != .quantile && c.contains(.q) {
      throw ScenarioIssue(c.codingPath + [CodingKeys.q], "only `stat: quantile` takes q; remove it")
    }
    if stat != .shareAbove && stat != .shareBelow && c.contains(.value) {
      throw ScenarioIssue(c.codingPath + [CodingKeys.value], "only share_above and share_below take value; remove it")
    }
    segment = try c.decodeIfPresent(String.self, forKey: .segment)
  }
}

extension ReporterSpec {
  /// The reporters' values at one step (`output.reporters`): each one's statistic of its per-agent value over the
  /// agents (of its segment), empty values left out.
  public static func report(_ reporters: [ReporterSpec], _ values: AgentStepValues) -> [Cell] {
    let segments = values.population.segments.map(\.name)
    return reporters.map { reporter in
      let numbers = values.numbers(reporter.of)
      var kept: [Double] = []
      kept.reserveCapacity(numbers.count)
      for (i, x) in numbers.enumerated() where !x.isNaN {
        if let segment = reporter.segment, segments[Int(values.population.segment[i])] != segment { continue }
        kept.append(x)
      }
      return .double(reporter.compute(kept))
    }
  }
}
