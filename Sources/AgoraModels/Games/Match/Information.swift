import AgoraCore

/// What each player of a bargaining or negotiation game knows about the other's discount factor or value.
public enum Information: String, Sendable, Codable, Hashable, CaseIterable {
  case complete, incomplete
}
