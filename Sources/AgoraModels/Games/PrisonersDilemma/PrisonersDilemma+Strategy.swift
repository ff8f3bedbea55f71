import AgoraCore

extension PrisonersDilemma {
  /// The prisoner's dilemma's fixed strategies: a segment with `strategy: NAME` plays one instead of deciding.
  public enum Strategy: String, Sendable, CaseIterable {
    case alwaysCooperate = "always_cooperate"
    case alwaysDefect = "always_defect"
    case titForTat = "tit_for_tat"
    case grim
    case winStayLoseShift = "win_stay_lose_shift"
    case random
    /// Cooperates, except that it defects in the first stage.
    case defectOnce = "defect_once"
    /// Cooperates in odd stages and defects in even ones.
    case alternate
  }
}
