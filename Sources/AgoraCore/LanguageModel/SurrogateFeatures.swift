/// What a decoder surrogate needs to know of one decision besides its options' words (issue 19, item 5): each
/// option's utility under each motive alone, so that the utility under any motives `m` is
/// `sum over d of m[d] * basis[k][d]`, and the decoder's other inputs (the salient option, whether the options are
/// amounts on a grid). `agora calibrate --from-run` fits a decoder segment to a language model's choices from them.
public struct SurrogateFeatures: Sendable, Hashable {
  /// The motives of the basis, in its order (risk aversion is 0: utilities are linear in the rest).
  public static let motives: [Preference] = [.selfWeight, .envy, .guilt, .reciprocity, .altruism, .conformity]

  /// `basis[k * motives.count + d]`: option k's utility when motive d is 1 and every other is 0.
  public var basis: [Double]
  /// The salient option (0-based), or -1 for none.
  public var salient: Int
  /// Whether the options are amounts on a grid (the decoder weighs them by their measure, `AmountGrid`).
  public var amount: Bool

  public init(basis: [Double], salient: Int, amount: Bool) {
    self.basis = basis
    self.salient = salient
    self.amount = amount
  }

  /// The features of a decision of `count` options whose utilities `utilities(m)` computes for motives `m`.
  public init(count: Int, salient: Int, amount: Bool, utilities: (Motives) -> [Double]) {
    var basis = [Double](repeating: 0, count: count * Self.motives.count)
    for (d, motive) in Self.motives.enumerated() {
      var m = Motives(selfWeight: 0)
      switch motive {
      case .selfWeight: m.selfWeight = 1
      case .envy: m.envy = 1
      case .guilt: m.guilt = 1
      case .reciprocity: m.reciprocity = 1
      case .altruism: m.altruism = 1
      case .conformity: m.conformity = 1
      default: preconditionFailure("not a basis motive")
      }
      for (k, u) in utilities(m).prefix(count).enumerated() { basis[k * Self.motives.count + d] = u }
    }
    self.init(basis: basis, salient: salient, amount: amount)
  }

  /// The number of options.
  public var count: Int { basis.count / Self.motives.count }
}
