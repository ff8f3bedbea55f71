import Foundation

/// How a segment's agents respond to the absolute size of a division game's stake (issue 18): utilities are in
/// units of the stake, so without it a population decides the same at every stake. At `reference` (the stake its
/// preferences were fitted at) nothing changes; at a stake S the weight on the agent's own payoff is multiplied by
/// `(S / reference)^elasticity` (rejecting or giving costs more of what matters), and its relative risk aversion
/// rises by `risk_slope * ln(S / reference)` above the reference (Holt & Laury 2002: risk aversion grows with the
/// scale of the payoffs), which makes a proposer fear a rejection more at a high stake.
public struct StakeResponse: Sendable, Codable, Hashable {
  /// The stake, in the game's units, at which the segment's preferences hold unchanged.
  public var reference: Double
  /// The elasticity of the weight on one's own payoff with respect to the stake.
  public var elasticity: Double = 0
  /// The rise of relative risk aversion per unit of `ln(stake / reference)`, above the reference.
  public var riskSlope: Double = 0

  enum CodingKeys: String, CodingKey, CaseIterable {
    case reference, elasticity, riskSlope = "risk_slope"
  }

  public init(reference: Double, elasticity: Double = 0, riskSlope: Double = 0) {
    self.reference = reference
    self.elasticity = elasticity
    self.riskSlope = riskSlope
  }

  public init(from decoder: any Decoder) throws {
    try decoder.checkKeys(CodingKeys.allCases.map(\.rawValue))
    let c = try decoder.container(keyedBy: CodingKeys.self)
    reference = try c.value(.reference, allowed: "a finite number > 0 (the stake the preferences hold at)") {
      $0 > 0 && $0.isFinite
    }
    elasticity = try c.value(.elasticity, default: 0, allowed: "a number in [-1, 1]") { $0 >= -1 && $0 <= 1 }
    riskSlope = try c.value(.riskSlope, default: 0, allowed: "a number in [0, 5]") { $0 >= 0 && $0 <= 5 }
  }

  /// Applies the response to the stake `stake` to an agent's preference record (``Population/dimensions`` values,
  /// ``Preference`` order). At the reference stake the record is unchanged, bit for bit.
  public func apply(stake: Double, to record: UnsafeMutablePointer<Double>) {
    let ratio = stake / reference
    if ratio == 1 { return }
    record[Preference.selfWeight.rawValue] *= pow(ratio, elasticity)
    record[Preference.riskAversion.rawValue] += riskSlope * max(0, log(ratio))
  }
}
