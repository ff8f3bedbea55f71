import AgoraCore

/// The words of a division game's decisions for language-model agents: the rules, the proposer's offers, the
/// responder's accept / reject, and a proposer's window of past offers.
struct DivisionPrompts<Game: DivisionGame> {
  let game: Game

  var stake: String { DecisionPrompt.amount(game.spec.stake) }
  var name: String { game.responderDecides ? "ultimatum" : "dictator" }

  var rules: String {
    game.responderDecides
      ? "You play an ultimatum game with another person. The proposer has \(stake) points and offers the responder "
        + "a part of them. If the responder accepts, the points are split as offered; if it rejects, both get nothing."
      : "You play a dictator game with another person. You have \(stake) points and give the other person any part "
        + "of them; the other person cannot refuse."
  }

  /// The proposer's (dictator's) decision: one option per offer on the grid, in grid order.
  func propose() -> DecisionPrompt {
    let total = game.spec.stake
    return DecisionPrompt(
      kind: game.responderDecides ? "ultimatum.propose" : "dictator.give", rules: rules,
      question: game.responderDecides ? "You are the proposer. How much do you offer?" : "How much do you give?",
      options: game.offerShares.map {
        "\(game.responderDecides ? "offer" : "give") \(DecisionPrompt.amount($0 * total)) and keep "
          + DecisionPrompt.amount((1 - $0) * total)
      })
  }

  /// The responder's decision on offer `k` of the grid: accept or reject.
  func respond(offer k: Int) -> DecisionPrompt {
    let total = game.spec.stake
    let share = game.offerShares[k]
    return DecisionPrompt(
      kind: "\(name).respond", rules: rules,
      question: "You are the responder. The proposer offers you \(DecisionPrompt.amount(share * total)) and keeps "
        + "\(DecisionPrompt.amount((1 - share) * total)).",
      options: ["accept", "reject"])
  }

  /// The responder's decision under the strategy method: the smallest offer it accepts, one option per offer.
  func minimum() -> DecisionPrompt {
    let total = game.spec.stake
    return DecisionPrompt(
      kind: "\(name).minimum", rules: rules,
      question: "You are the responder. Before you see the offer, state the smallest offer you accept: you will "
        + "accept any offer at least this large and reject any smaller one.",
      options: game.offerShares.map { "accept offers of \(DecisionPrompt.amount($0 * total)) or more" })
  }

  /// A proposer's recent offers and their fate, as prompt lines.
  func history(_ window: [(option: Int, accepted: Bool)]) -> [String] {
    let total = game.spec.stake
    return window.map {
      "you offered \(DecisionPrompt.amount(game.offerShares[$0.option] * total)) and it was "
        + ($0.accepted ? "accepted" : "rejected")
    }
  }
}
