import AgoraCore

/// The stage payoffs of a prisoner's dilemma, with T > R > P > S.
public struct PayoffMatrix: Sendable, Codable, Hashable {
  /// Temptation: defecting against a cooperator.
  public var t: Double = 5
  /// Reward: mutual cooperation.
  public var r: Double = 3
  /// Punishment: mutual defection.
  public var p: Double = 1
  /// Sucker's payoff: cooperating against a defector.
  public var s: Double = 0

  enum CodingKeys: String, CodingKey, CaseIterable { case t = "T", r = "R", p = "P", s = "S" }

  public init(t: Double = 5, r: Double = 3, p: Double = 1, s: Double = 0) {
    self.t = t
    self.r = r
    self.p = p
    self.s = s
  }

  /// The row player's payoff when it plays `mine` and the other plays `theirs` (true = cooperate).
  public func payoff(_ mine: Bool, _ theirs: Bool) -> Double {
    switch (mine, theirs) {
    case (true, true): return r
    case (true, false): return s
    case (false, true): return t
    case (false, false): return p
    }
  }
}

extension PayoffMatrix {
  public init(from decoder: any Decoder) throws {
    try decoder.checkKeys(CodingKeys.allCases.map(\.rawValue))
    let c = try decoder.container(keyedBy: CodingKeys.self)
    let finite = "a finite number"
    t = try c.value(.t, default: 5, allowed: finite) { $0.isFinite }
    r = try c.value(.r, default: 3, allowed: finite) { $0.isFinite }
    p = try c.value(.p, default: 1, allowed: finite) { $0.isFinite }
    s = try c.value(.s, default: 0, allowed: finite) { $0.isFinite }
    guard t > r, r > p, p > s else {
      throw ScenarioIssue(
        decoder.codingPath, value: "T=\(t), R=\(r), P=\(p), S=\(s)", "a prisoner's dilemma needs T > R > P > S")
    }
  }
}
