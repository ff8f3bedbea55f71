import AgoraCore
import Foundation

/// Renders an agent's latent preferences in words, for the system message of a language-model agent
/// ("It bothers you a great deal when others get more than you.").
public enum Persona {
  /// One sentence per preference dimension, with the degree word chosen by thresholds on the value.
  static let sentences: [(Preference, thresholds: [Double], words: [String], sentence: String)] = [
    (
      .selfWeight, [0.25, 0.75, 1.25], ["hardly", "somewhat", "a lot", "above all"],
      "You care {} about your own payoff."
    ),
    (
      .envy, [0.1, 0.5, 1.0], ["not at all", "a little", "quite a lot", "a great deal"],
      "It bothers you {} when others get more than you."
    ),
    (
      .guilt, [0.1, 0.3, 0.6], ["not at all", "a little", "quite a lot", "a great deal"],
      "It bothers you {} when you get more than others."
    ),
    (
      .reciprocity, [0.1, 0.4, 0.8], ["hardly ever", "sometimes", "usually", "always"],
      "You {} repay kindness with kindness and unkindness with unkindness."
    ),
    (
      .altruism, [0.1, 0.3, 0.6], ["not at all", "a little", "quite a lot", "a great deal"],
      "You care {} about how well others do."
    ),
    (.riskAversion, [0.1, 0.4, 0.8], ["not at all", "a little", "quite", "very"], "You are {} cautious about risk."),
    (
      .patience, [0.25, 0.6, 0.9], ["not at all", "a little", "quite", "very"],
      "You are {} patient: later payoffs count for you almost as much as payoffs now."
    ),
    (
      .honesty, [0.25, 0.6, 0.9], ["do not much", "somewhat", "strongly", "very strongly"],
      "You {} value telling the truth."
    ),
    (
      .conformity, [0.1, 0.4, 0.8], ["do not", "slightly", "clearly", "strongly"],
      "You {} prefer to do what most others do."
    ),
  ]

  /// The persona of preferences `values` (one per ``Preference``, in column order).
  public static func describe(_ values: [Double]) -> String {
    sentences.map { dimension, thresholds, words, sentence in
      let v = values[dimension.rawValue]
      let level = thresholds.firstIndex { v < $0 } ?? thresholds.count
      return sentence.replacingOccurrences(of: "{}", with: words[level])
    }.joined(separator: " ")
  }
}
