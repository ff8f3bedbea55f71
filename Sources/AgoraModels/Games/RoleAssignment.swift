import AgoraCore

/// How roles are assigned in two-role games.
public enum RoleAssignment: String, Sendable, Codable, Hashable, CaseIterable {
  /// Each agent's role alternates every round (half of each segment starts as proposer).
  case swap
  /// Half of each segment proposes in every round, the other half always responds.
  case fixed
  /// The role is drawn anew for every pair.
  case random
}
