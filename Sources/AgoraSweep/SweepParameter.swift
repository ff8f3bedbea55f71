import AgoraCore
import AgoraOutput
import AgoraScenario
import Foundation

/// One swept parameter: a scenario key path, the column that reports it, and the values it takes.
public struct SweepParameter: Sendable, Hashable, Codable {
  /// The dotted scenario key path, as in `--set` (e.g. `population.segments.0.decoding.temperature`).
  public var key: String
  /// The column name in `summary.csv`.
  public var name: String
  /// The values the parameter takes.
  public var domain: Domain

  /// What values a parameter takes: an enumerated list (a grid axis) or a range to sample (random or Latin
  /// hypercube designs).
  public enum Domain: Sendable, Hashable, Codable {
    /// Enumerated values, as YAML scalars (`0.1`, `true`, `fixed`).
    case values([String])
    /// A continuous or integer range, sampled uniformly on a linear or logarithmic scale.
    case range(min: Double, max: Double, scale: Scale, integer: Bool)
  }

  /// The scale a range is sampled on.
  public enum Scale: String, Sendable, Hashable, Codable, CaseIterable {
    case linear, log
  }

  public init(key: String, name: String? = nil, domain: Domain) {
    self.key = key
    self.name = name ?? SweepParameter.defaultName(for: key)
    self.domain = domain
  }

  /// Whether this parameter is a range (sampled) rather than a list of values (a grid axis).
  public var isRange: Bool {
    if case .range = domain { return true }
    return false
  }

  /// The value text at a unit coordinate `u` in [0, 1) of a range; integers map `u` to `min...max` in equal strata.
  public func value(at u: Double) -> String {
    guard case .range(let lo, let hi, let scale, let integer) = domain else { preconditionFailure("not a range") }
    if integer {
      let low = lo.rounded(.up)
      let count = (hi.rounded(.down) - low + 1)
      return String(Int(low + min(count - 1, (u * count).rounded(.down))))
    }
    let x: Double
    switch scale {
    case .linear: x = lo + u * (hi - lo)
    case .log: x = Foundation.exp(Foundation.log(lo) + u * (Foundation.log(hi) - Foundation.log(lo)))
    }
    return SweepParameter.format(x)
  }

  /// The stepped values `from, from + step, ..., to` (inclusive, within a relative 1e-9), formatted without
  /// binary noise (`0.1, 0.2, 0.3`, not `0.30000000000000004`).
  public static func stepped(from: Double, to: Double, step: Double) -> [String] {
    let count = Int(((to - from) / step * (1 + 1e-12)).rounded(.down)) + 1
    return (0..<count).map { k in format(Double(String(format: "%.12g", from + Double(k) * step))!) }
  }

  /// A number as a value text: integers without a decimal point, others in shortest round-trip form.
  public static func format(_ x: Double) -> String { x.valueText }

  /// The default column name: the key path's last component (`temperature` for `...decoding.temperature`).
  public static func defaultName(for key: String) -> String {
    (key.split(separator: ".").last.map(String.init) ?? key).snakeCased
  }

  /// Gives parameters whose default names collide longer names made of more key components
  /// (`segments_0_temperature`, `segments_1_temperature`), leaving explicit names alone.
  public static func disambiguated(_ parameters: [SweepParameter], explicit: Set<Int> = []) -> [SweepParameter] {
    var result = parameters
    var depth = [Int](repeating: 1, count: parameters.count)
    func name(_ i: Int) -> String {
      let parts = parameters[i].key.split(separator: ".").map(String.init)
      while depth[i] < parts.count, parts[parts.count - depth[i]].first?.isNumber == true { depth[i] += 1 }
      return parts.suffix(depth[i]).joined(separator: "_").snakeCased
    }
    for _ in 0..<16 {
      var clash = false
      for i in result.indices where !explicit.contains(i) {
        let same = result.indices.filter { $0 != i && result[$0].name == result[i].name }
        guard !same.isEmpty else { continue }
        clash = true
        for j in [i] + same where !explicit.contains(j) && depth[j] < parameters[j].key.split(separator: ".").count {
          depth[j] += 1
          result[j].name = name(j)
        }
      }
      if !clash { break }
    }
    return result
  }
}
