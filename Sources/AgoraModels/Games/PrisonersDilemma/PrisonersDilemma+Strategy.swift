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
    /// Cooperates in the first stage and defects after it (Claude 2's play in Akata et al.'s repeated games).
    case cooperateOnce = "cooperate_once"
    /// Defects in the second and third stages and cooperates otherwise (GPT-3.5's play against GPT-4 in Akata et
    /// al.'s repeated games).
    case defectTwice = "defect_twice"
  }
}
