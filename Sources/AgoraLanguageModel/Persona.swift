import AgoraCore
import Foundation

/// Renders an agent's latent preferences in words, for the system message of a language-model agent
/// ("It bothers you a great deal when others get more than you.").
public enum Persona {
  /// One sentence per preference dimension and level: the level is the number of `thresholds` the value reaches,
  /// and each sentence, explanation included, says what that level means (a low patience never claims that later
  /// payoffs count almost as much as payoffs now).
  static let sentences: [(Preference, thresholds: [Double], levels: [String])] = [
    (
      .selfWeight, [0.25, 0.75, 1.25],
      [
        "You hardly care about your own payoff.", "You care somewhat about your own payoff.",
        "You care a lot about your own payoff.", "You care about your own payoff above all.",
      ]
    ),
    (
      .envy, [0.1, 0.5, 1.0],
      [
        "It bothers you not at all when others get more than you.",
        "It bothers you a little when others get more than you.",
        "It bothers you quite a lot when others get more than you.",
        "It bothers you a great deal when others get more than you.",
      ]
    ),
    (
      .guilt, [0.1, 0.3, 0.6],
      [
        "It bothers you not at all when you get more than others.",
        "It bothers you a little when you get more than others.",
        "It bothers you quite a lot when you get more than others.",
        "It bothers you a great deal when you get more than others.",
      ]
    ),
    (
      .reciprocity, [0.1, 0.4, 0.8],
      [
        "You hardly ever repay kindness with kindness and unkindness with unkindness.",
        "You sometimes repay kindness with kindness and unkindness with unkindness.",
        "You usually repay kindness with kindness and unkindness with unkindness.",
        "You always repay kindness with kindness and unkindness with unkindness.",
      ]
    ),
    (
      .altruism, [0.1, 0.3, 0.6],
      [
        "You care not at all about how well others do.", "You care a little about how well others do.",
        "You care quite a lot about how well others do.", "You care a great deal about how well others do.",
      ]
    ),
    (
      .riskAversion, [0.1, 0.4, 0.8],
      [
        "You are not at all cautious about risk.", "You are a little cautious about risk.",
        "You are quite cautious about risk.", "You are very cautious about risk.",
      ]
    ),
    (
      .patience, [0.25, 0.6, 0.9],
      [
        "You are not at all patient: later payoffs count for you far less than payoffs now.",
        "You are a little patient: later payoffs count for you clearly less than payoffs now.",
        "You are quite patient: later payoffs count for you nearly as much as payoffs now.",
        "You are very patient: later payoffs count for you almost as much as payoffs now.",
      ]
    ),
    (
      .honesty, [0.25, 0.6, 0.9],
      [
        "You do not much value telling the truth.", "You somewhat value telling the truth.",
        "You strongly value telling the truth.", "You very strongly value telling the truth.",
      ]
    ),
    (
      .conformity, [0.1, 0.4, 0.8],
      [
        "You do not prefer to do what most others do.", "You slightly prefer to do what most others do.",
        "You clearly prefer to do what most others do.", "You strongly prefer to do what most others do.",
      ]
    ),
  ]

  /// The sentence that describes `value` of `preference`.
  public static func sentence(_ preference: Preference, _ value: Double) -> String {
    guard let (_, thresholds, levels) = sentences.first(where: { $0.0 == preference }) else { return "" }
    return levels[thresholds.firstIndex { value < $0 } ?? thresholds.count]
  }

  /// The persona of preferences `values` (one per ``Preference``, in column order).
  public static func describe(_ values: [Double]) -> String {
    sentences.map { sentence($0.0, values[$0.0.rawValue]) }.joined(separator: " ")
  }
}
