import AgoraCore

/// The messages of a persuasion game's seller.
public enum Claims: String, Sendable, Codable, Hashable, CaseIterable {
  /// "high quality" or "low quality".
  case binary
  /// A claim from "excellent", "good", "fair", "poor".
  case text
}
