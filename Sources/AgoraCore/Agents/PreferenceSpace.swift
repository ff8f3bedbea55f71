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
