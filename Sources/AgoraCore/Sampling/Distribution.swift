import CGSL
import Foundation

/// A distribution of one real value, sampled with GSL.
///
/// `min`/`max` bounds on the unbounded families clamp (censor) a draw; `truncatedNormal` truncates instead.
public enum Distribution: Sendable, Hashable {
  case constant(Double)
  case uniform(min: Double, max: Double)
  case normal(mean: Double, sd: Double)
  case truncatedNormal(mean: Double, sd: Double, min: Double, max: Double)
  case lognormal(mu: Double, sigma: Double)
  /// Pareto with shape a and scale (minimum) b: density `a b^a / x^(a+1)` for x >= b.
  case pareto(shape: Double, scale: Double)
  case beta(a: Double, b: Double)
  case gamma(shape: Double, scale: Double)
  case exponential(mean: Double)
  case poisson(mean: Double)
  case discrete(values: [Double], probabilities: [Double])

  /// The names accepted as `dist:` in scenario files.
  public static let names = [
    "constant", "uniform", "normal", "truncated_normal", "lognormal", "pareto", "beta", "gamma", "exponential",
    "poisson",
    "discrete",
  ]

  /// The exact mean, where it has a closed form.
  public var mean: Double {
    switch self {
    case .constant(let v): return v
    case .uniform(let a, let b): return (a + b) / 2
    case .normal(let m, _): return m
    case .truncatedNormal(let m, let s, let lo, let hi):
      let a = (lo - m) / s
      let b = (hi - m) / s
      let z = gsl_cdf_ugaussian_P(b) - gsl_cdf_ugaussian_P(a)
      return m + s * (gsl_ran_ugaussian_pdf(a) - gsl_ran_ugaussian_pdf(b)) / z
    case .lognormal(let mu, let sigma): return exp(mu + sigma * sigma / 2)
    case .pareto(let a, let b): return a > 1 ? a * b / (a - 1) : .infinity
    case .beta(let a, let b): return a / (a + b)
    case .gamma(let k, let theta): return k * theta
    case .exponential(let m): return m
    case .poisson(let m): return m
    case .discrete(let values, let probs):
      return zip(values, probs).reduce(0) { $0 + $1.0 * $1.1 } / probs.reduce(0, +)
    }
  }

  /// The exact variance, where it has a closed form.
  public var variance: Double {
    switch self {
    case .constant: return 0
    case .uniform(let a, let b): return (b - a) * (b - a) / 12
    case .normal(_, let s): return s * s
    case .truncatedNormal(let m, let s, let lo, let hi):
      let a = (lo - m) / s
      let b = (hi - m) / s
      let z = gsl_cdf_ugaussian_P(b) - gsl_cdf_ugaussian_P(a)
      let pa = gsl_ran_ugaussian_pdf(a)
      let pb = gsl_ran_ugaussian_pdf(b)
      let ta = a.isFinite ? a * pa : 0
      let tb = b.isFinite ? b * pb : 0
      let r = (pa - pb) / z
      return s * s * (1 + (ta - tb) / z - r * r)
    case .lognormal(let mu, let sigma):
      let s2 = sigma * sigma
      return (exp(s2) - 1) * exp(2 * mu + s2)
    case .pareto(let a, let b): return a > 2 ? b * b * a / ((a - 1) * (a - 1) * (a - 2)) : .infinity
    case .beta(let a, let b): return a * b / ((a + b) * (a + b) * (a + b + 1))
    case .gamma(let k, let theta): return k * theta * theta
    case .exponential(let m): return m * m
    case .poisson(let m): return m
    case .discrete(let values, let probs):
      let total = probs.reduce(0, +)
      let mu = mean
      return zip(values, probs).reduce(0) { $0 + $1.1 * ($1.0 - mu) * ($1.0 - mu) } / total
    }
  }

  /// One draw from `stream`.
  public func sample(_ stream: RandomStream) -> Double {
    let r = stream.rng
    switch self {
    case .constant(let v): return v
    case .uniform(let a, let b): return gsl_ran_flat(r, a, b)
    case .normal(let m, let s): return m + gsl_ran_gaussian_ziggurat(r, s)
    case .truncatedNormal(let m, let s, let lo, let hi):
      return Distribution.truncatedNormal(mean: m, sd: s, min: lo, max: hi, stream: stream)
    case .lognormal(let mu, let sigma): return gsl_ran_lognormal(r, mu, sigma)
    case .pareto(let a, let b): return gsl_ran_pareto(r, a, b)
    case .beta(let a, let b): return gsl_ran_beta(r, a, b)
    case .gamma(let k, let theta): return gsl_ran_gamma(r, k, theta)
    case .exponential(let m): return gsl_ran_exponential(r, m)
    case .poisson(let m): return Double(gsl_ran_poisson(r, m))
    case .discrete(let values, let probs):
      let total = probs.reduce(0, +)
      var u = gsl_rng_uniform(r) * total
      for i in 0..<(probs.count - 1) {
        u -= probs[i]
        if u < 0 { return values[i] }
      }
      return values[values.count - 1]
    }
  }

  /// Inverse-CDF sampling of a normal truncated to [lo, hi]: one uniform per draw, computed on the
  /// upper tail when the interval lies above the mean so that far tails keep their precision.
  static func truncatedNormal(mean m: Double, sd s: Double, min lo: Double, max hi: Double, stream: RandomStream)
    -> Double
  {
    let a = (lo - m) / s
    let b = (hi - m) / s
    let u = gsl_rng_uniform_pos(stream.rng)
    let z: Double
    if a >= 0 {
      let qa = gsl_cdf_ugaussian_Q(a)
      let qb = gsl_cdf_ugaussian_Q(b)
      z = gsl_cdf_ugaussian_Qinv(qb + u * (qa - qb))
    } else {
      let pa = gsl_cdf_ugaussian_P(a)
      let pb = gsl_cdf_ugaussian_P(b)
      z = gsl_cdf_ugaussian_Pinv(pa + u * (pb - pa))
    }
    return Swift.min(Swift.max(m + s * z, lo), hi)
  }
}

extension Distribution {
  /// Why these parameters cannot be sampled, or `nil` when they can. GSL's samplers do not check.
  public var parameterProblem: String? {
    func finite(_ pairs: (String, Double)...) -> String? {
      pairs.first { !$0.1.isFinite }.map { "\($0.0) must be a finite number, got \($0.1)" }
    }
    switch self {
    case .constant(let v): return finite(("value", v))
    case .uniform(let a, let b):
      return finite(("min", a), ("max", b)) ?? (a < b ? nil : "uniform needs min < max, got min \(a), max \(b)")
    case .normal(let m, let s):
      return finite(("mean", m), ("sd", s)) ?? (s > 0 ? nil : "sd must be > 0, got \(s)")
    case .truncatedNormal(let m, let s, let lo, let hi):
      if let p = finite(("mean", m), ("sd", s)) { return p }
      if !(s > 0) { return "sd must be > 0, got \(s)" }
      if lo.isNaN || hi.isNaN || !(lo < hi) { return "truncated_normal needs min < max, got min \(lo), max \(hi)" }
      let a = (lo - m) / s
      let b = (hi - m) / s
      let mass =
        a >= 0 ? gsl_cdf_ugaussian_Q(a) - gsl_cdf_ugaussian_Q(b) : gsl_cdf_ugaussian_P(b) - gsl_cdf_ugaussian_P(a)
      return mass > 1e-300 ? nil : "truncated_normal interval [\(lo), \(hi)] has no probability mass"
    case .lognormal(let mu, let sigma):
      return finite(("mu", mu), ("sigma", sigma)) ?? (sigma > 0 ? nil : "sigma must be > 0, got \(sigma)")
    case .pareto(let a, let b):
      return finite(("shape", a), ("scale", b))
        ?? (a > 0 && b > 0 ? nil : "pareto needs shape > 0 and scale > 0, got shape \(a), scale \(b)")
    case .beta(let a, let b):
      return finite(("a", a), ("b", b)) ?? (a > 0 && b > 0 ? nil : "beta needs a > 0 and b > 0, got a \(a), b \(b)")
    case .gamma(let k, let theta):
      return finite(("shape", k), ("scale", theta))
        ?? (k > 0 && theta > 0 ? nil : "gamma needs shape > 0 and scale > 0, got shape \(k), scale \(theta)")
    case .exponential(let m):
      return finite(("mean", m)) ?? (m > 0 ? nil : "exponential needs mean > 0, got \(m)")
    case .poisson(let m):
      return finite(("mean", m)) ?? (m > 0 && m < 1e9 ? nil : "poisson needs 0 < mean < 1e9, got \(m)")
    case .discrete(let values, let probs):
      if values.isEmpty { return "discrete needs at least one value" }
      if values.count != probs.count {
        return "discrete needs as many probs as values (\(values.count) values, \(probs.count) probs)"
      }
      if let v = values.first(where: { !$0.isFinite }) { return "values must be finite, got \(v)" }
      if let p = probs.first(where: { !($0 >= 0) || !$0.isFinite }) { return "probs must be >= 0, got \(p)" }
      let total = probs.reduce(0, +)
      return abs(total - 1) <= 1e-6 ? nil : "probs must sum to 1, got \(total)"
    }
  }
}
