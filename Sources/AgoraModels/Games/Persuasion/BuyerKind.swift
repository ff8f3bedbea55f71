import AgoraCore

/// The buyers of a persuasion game.
public enum BuyerKind: String, Sendable, Codable, Hashable, CaseIterable {
  case longLived = "long_lived"
  case myopic
}
