/// How a dark-forest civilization splits its growth budget among its resources.
public enum DarkForestGrowth: String, CaseIterable, Codable, Sendable, Hashable {
  /// By its mode: balanced, mobilised or developing (changed by the decisions to mobilise and develop).
  case modes
  /// By a split among military, technology and production (storage keeping a fixed share) that the civilization
  /// chooses at every decision epoch, as CosmoAgent's civilizations choose their transfer matrix each round.
  case allocation
}
