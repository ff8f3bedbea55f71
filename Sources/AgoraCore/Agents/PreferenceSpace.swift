/// The latent preference dimensions every agent carries (DESIGN.md §5), in column order.
public enum Preference: Int, CaseIterable, Sendable, Codable {
  case selfWeight, envy, guilt, reciprocity, altruism, riskAversion, patience, honesty, conformity

  /// The snake_case name used in scenario files and CSV columns.
  public var name: String {
    switch self {
    case .selfWeight: return "self_weight"
    case .envy: return "envy"
    case .guilt: return "guilt"
    case .reciprocity: return "reciprocity"
    case .altruism: return "altruism"
    case .riskAversion: return "risk_aversion"
    case .patience: return "patience"
    case .honesty: return "honesty"
    case .conformity: return "conformity"
    }
  }

  /// The value an agent has when its segment does not specify the dimension.
  public var defaultValue: Double { self == .selfWeight ? 1 : 0 }

  /// The dimension named `name`, or `nil`.
  public init?(name: String) {
    guard let match = Preference.allCases.first(where: { $0.name == name }) else { return nil }
    self = match
  }

  /// All dimension names, in column order.
  public static var names: [String] { allCases.map(\.name) }
}

extension Preference {
  /// What the dimension weighs in an agent's utility (DESIGN.md §5), in a line.
  public var meaning: String {
    switch self {
    case .selfWeight: return "weight on the agent's own payoff"
    case .envy: return "dislike of earning less than the other (Fehr-Schmidt alpha)"
    case .guilt: return "dislike of earning more than the other (Fehr-Schmidt beta)"
    case .reciprocity: return "weight on returning the other's kindness or unkindness"
    case .altruism: return "weight on the other's payoff"
    case .riskAversion: return "curvature of the utility of uncertain amounts"
    case .patience: return "weight on later rounds (a discount factor)"
    case .honesty: return "cost of a false claim"
    case .conformity: return "pull toward what others did"
    }
  }
}
