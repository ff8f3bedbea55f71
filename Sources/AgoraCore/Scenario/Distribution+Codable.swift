/// Scenario syntax of distributions: a bare number is a constant; otherwise a mapping with `dist:` and the
/// family's parameters, e.g. `{dist: normal, mean: 0.8, sd: 0.3, min: 0}`. `min`/`max` clamp the unbounded families.
extension Distribution: Codable {
  /// The parameter keys of each family.
  static let parameters: [String: [String]] = [
    "constant": ["value"], "uniform": ["min", "max"], "normal": ["mean", "sd"],
    "truncated_normal": ["mean", "sd", "min", "max"], "lognormal": ["mu", "sigma"], "pareto": ["shape", "scale"],
    "beta": ["a", "b"],
    "gamma": ["shape", "scale"], "exponential": ["mean"], "poisson": ["mean"], "discrete": ["values", "probs"],
  ]

  public init(from decoder: any Decoder) throws {
    self = try Distribution.decodeClamped(from: decoder).distribution
  }

  /// Decodes a distribution together with optional clamping bounds.
  static func decodeClamped(from decoder: any Decoder) throws -> ClampedDistribution {
    if let single = try? decoder.singleValueContainer(), let value = try? single.decode(Double.self) {
      guard value.isFinite else {
        throw ScenarioIssue(decoder.codingPath, value: "\(value)", "expected a finite number")
      }
      return ClampedDistribution(distribution: .constant(value))
    }
    let c = try decoder.container(keyedBy: AnyKey.self)
    let name = try c.choice(AnyKey(stringValue: "dist"), default: Optional<DistributionName>.none).rawValue
    let own = parameters[name]!
    let clampable = !["constant", "uniform", "truncated_normal", "discrete"].contains(name)
    try decoder.checkKeys(["dist"] + own + (clampable ? ["min", "max"] : []))
    func number(_ key: String) throws -> Double {
      try c.value(AnyKey(stringValue: key), allowed: "a finite number for \(name)") { $0.isFinite }
    }
    func bound(_ key: String, _ fallback: Double) throws -> Double {
      try c.value(AnyKey(stringValue: key), default: fallback, allowed: "a number") { !$0.isNaN }
    }
    let distribution: Distribution
    switch name {
    case "constant": distribution = .constant(try number("value"))
    case "uniform": distribution = .uniform(min: try number("min"), max: try number("max"))
    case "normal": distribution = .normal(mean: try number("mean"), sd: try number("sd"))
    case "truncated_normal":
      distribution = .truncatedNormal(
        mean: try number("mean"), sd: try number("sd"), min: try bound("min", -.infinity),
        max: try bound("max", .infinity))
    case "lognormal": distribution = .lognormal(mu: try number("mu"), sigma: try number("sigma"))
    case "pareto": distribution = .pareto(shape: try number("shape"), scale: try number("scale"))
    case "beta": distribution = .beta(a: try number("a"), b: try number("b"))
    case "gamma": distribution = .gamma(shape: try number("shape"), scale: try number("scale"))
    case "exponential": distribution = .exponential(mean: try number("mean"))
    case "poisson": distribution = .poisson(mean: try number("mean"))
    default:
      let values: [Double] = try c.value(AnyKey(stringValue: "values"), allowed: "a list of numbers")
      let probs: [Double] = try c.value(AnyKey(stringValue: "probs"), allowed: "a list of probabilities")
      distribution = .discrete(values: values, probabilities: probs)
    }
    if let problem = distribution.parameterProblem {
      throw ScenarioIssue(decoder.codingPath, value: name, problem)
    }
    var result = ClampedDistribution(distribution: distribution)
    if clampable {
      result.min = try bound("min", -.infinity)
      result.max = try bound("max", .infinity)
      guard result.min <= result.max else {
        throw ScenarioIssue(
          decoder.codingPath + [AnyKey(stringValue: "max")], value: "\(result.max)",
          "expected max >= min (\(result.min))")
      }
    }
    return result
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: AnyKey.self)
    func put(_ name: String, _ pairs: (String, Double)...) throws {
      try c.encode(name, forKey: AnyKey(stringValue: "dist"))
      for (k, v) in pairs where v.isFinite { try c.encode(v, forKey: AnyKey(stringValue: k)) }
    }
    switch self {
    case .constant(let v): try put("constant", ("value", v))
    case .uniform(let a, let b): try put("uniform", ("min", a), ("max", b))
    case .normal(let m, let s): try put("normal", ("mean", m), ("sd", s))
    case .truncatedNormal(let m, let s, let lo, let hi):
      try put("truncated_normal", ("mean", m), ("sd", s), ("min", lo), ("max", hi))
    case .lognormal(let mu, let sigma): try put("lognormal", ("mu", mu), ("sigma", sigma))
    case .pareto(let a, let b): try put("pareto", ("shape", a), ("scale", b))
    case .beta(let a, let b): try put("beta", ("a", a), ("b", b))
    case .gamma(let k, let theta): try put("gamma", ("shape", k), ("scale", theta))
    case .exponential(let m): try put("exponential", ("mean", m))
    case .poisson(let m): try put("poisson", ("mean", m))
    case .discrete(let values, let probs):
      try put("discrete")
      try c.encode(values, forKey: AnyKey(stringValue: "values"))
      try c.encode(probs, forKey: AnyKey(stringValue: "probs"))
    }
  }
}

/// The `dist:` names, for parsing with suggestions.
enum DistributionName: String, CaseIterable {
  case constant, uniform, normal, truncatedNormal = "truncated_normal", lognormal, pareto, beta, gamma, exponential
  case poisson
  case discrete
}

/// A distribution whose draws are clamped to [min, max].
public struct ClampedDistribution: Sendable, Hashable {
  public var distribution: Distribution
  public var min: Double = -.infinity
  public var max: Double = .infinity

  /// One clamped draw.
  public func sample(_ stream: RandomStream) -> Double {
    Swift.min(Swift.max(distribution.sample(stream), min), max)
  }
}

extension ClampedDistribution: Codable {
  public init(from decoder: any Decoder) throws { self = try Distribution.decodeClamped(from: decoder) }

  public func encode(to encoder: any Encoder) throws {
    try distribution.encode(to: encoder)
    var c = encoder.container(keyedBy: AnyKey.self)
    if min.isFinite { try c.encode(min, forKey: AnyKey(stringValue: "min")) }
    if max.isFinite { try c.encode(max, forKey: AnyKey(stringValue: "max")) }
  }
}

extension PreferenceDistributions: Codable {
  public init(from decoder: any Decoder) throws {
    try decoder.checkKeys(Preference.names + ["joint"])
    let c = try decoder.container(keyedBy: AnyKey.self)
    var marginals: [(Preference, ClampedDistribution)] = []
    for dimension in Preference.allCases {
      if let d = try c.decodeIfPresent(ClampedDistribution.self, forKey: AnyKey(stringValue: dimension.name)) {
        marginals.append((dimension, d))
      }
    }
    self.marginals = marginals
    joint = try c.decodeIfPresent([JointPreference].self, forKey: AnyKey(stringValue: "joint")) ?? []
    var seen = Set(marginals.map(\.0))
    for (i, j) in joint.enumerated() {
      for d in j.dimensions where !seen.insert(d).inserted {
        throw ScenarioIssue(
          c.codingPath + [AnyKey(stringValue: "joint"), AnyKey(intValue: i), AnyKey(stringValue: "dims")],
          value: d.name, "dimension is already given a distribution in this segment")
      }
    }
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: AnyKey.self)
    for (dimension, distribution) in marginals {
      try c.encode(distribution, forKey: AnyKey(stringValue: dimension.name))
    }
    if !joint.isEmpty { try c.encode(joint, forKey: AnyKey(stringValue: "joint")) }
  }
}

extension JointPreference: Codable {
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: AnyKey.self)
    let kind: String = try c.value(AnyKey(stringValue: "dist"), allowed: "dirichlet or multivariate_normal") {
      ["dirichlet", "multivariate_normal"].contains($0)
    }
    try decoder.checkKeys(["dist", "dims"] + (kind == "dirichlet" ? ["alpha"] : ["mean", "cov"]))
    let names: [String] = try c.value(AnyKey(stringValue: "dims"), allowed: "a non-empty list of preference names") {
      !$0.isEmpty
    }
    dimensions = try names.enumerated().map { i, name in
      guard let d = Preference(name: name) else {
        var message = "not a preference dimension; expected one of \(Preference.names.joined(separator: ", "))"
        if let guess = nearest(name, in: Preference.names) { message += "; did you mean '\(guess)'?" }
        throw ScenarioIssue(c.codingPath + [AnyKey(stringValue: "dims"), AnyKey(intValue: i)], value: name, message)
      }
      return d
    }
    guard Set(dimensions).count == dimensions.count else {
      throw ScenarioIssue(
        c.codingPath + [AnyKey(stringValue: "dims")], value: names.joined(separator: ", "),
        "dimensions must be distinct")
    }
    let k = dimensions.count
    if kind == "dirichlet" {
      let alpha: [Double] = try c.value(AnyKey(stringValue: "alpha"), allowed: "\(k) numbers > 0, one per dimension") {
        $0.count == k && $0.allSatisfy { $0 > 0 && $0.isFinite }
      }
      distribution = .dirichlet(alpha: alpha)
    } else {
      let mean: [Double] = try c.value(AnyKey(stringValue: "mean"), allowed: "\(k) finite numbers, one per dimension") {
        $0.count == k && $0.allSatisfy(\.isFinite)
      }
      let cov: [[Double]] = try c.value(
        AnyKey(stringValue: "cov"), allowed: "a \(k)x\(k) symmetric positive-definite matrix")
      do {
        distribution = try JointDistribution.multivariateNormal(mean: mean, covariance: cov)
      } catch {
        throw ScenarioIssue(c.codingPath + [AnyKey(stringValue: "cov")], value: "\(cov)", error.description)
      }
      covariance = cov
    }
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: AnyKey.self)
    try c.encode(dimensions.map(\.name), forKey: AnyKey(stringValue: "dims"))
    switch distribution {
    case .dirichlet(let alpha):
      try c.encode("dirichlet", forKey: AnyKey(stringValue: "dist"))
      try c.encode(alpha, forKey: AnyKey(stringValue: "alpha"))
    case .multivariateNormal(let mean, _):
      try c.encode("multivariate_normal", forKey: AnyKey(stringValue: "dist"))
      try c.encode(mean, forKey: AnyKey(stringValue: "mean"))
      try c.encode(covariance ?? [], forKey: AnyKey(stringValue: "cov"))
    }
  }
}
