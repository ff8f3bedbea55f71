import AgoraCore

/// The dictator game: the dictator gives a share of the stake and the recipient has no say.
/// A dictator with guilt beta > 1/2 and no other motive gives half (Fehr & Schmidt 1999).
public struct Dictator: DivisionGame {
  public let spec: DivisionParameters
  public static var type: GameType { .dictator }
  public var responderDecides: Bool { false }
  /// `agent_steps.csv` may hold each agent's last gift (no belief: the recipient has no say).
  public static var agentStepColumns: [Column] { [offerStepColumn] }

  public init(spec: DivisionParameters) { self.spec = spec }

  /// The recipient has no choice: it always takes what it is given.
  public func responderUtilities(motives: Motives, offerShare: Double) -> (accept: Double, reject: Double) {
    (1, 0)
  }

  public static var story: [StoryChart] {
    [
      StoryChart(
        "What dictators give, round by round", columns: ["mean_share_given", "share_giving_zero"],
        caption: "The recipient has no say: what is given comes from the dictators' own motives alone.")
    ]
  }

  public static let rateColumns = [
    Column("mean_share_given", unit: Column.Unit.share, "mean share of the stake dictators gave"),
    Column("share_giving_zero", unit: Column.Unit.share, "share of dictators who gave nothing"),
    Column(
      "share_giving_half", unit: Column.Unit.share,
      "share of dictators who gave exactly half of the stake (empty on a grid without the half)"),
    Column("share_giving_everything", unit: Column.Unit.share, "share of dictators who gave the whole stake"),
  ]

  public func rates(_ tally: DivisionTally) -> [(String, Double)] {
    [
      ("mean_share_given", tally.meanOffer), ("share_giving_zero", tally.zeroOfferRate),
      ("share_giving_half", tally.halfOfferRate), ("share_giving_everything", tally.wholeOfferRate),
    ]
  }

  /// The recipient has no say, so there is no minimum to state.
  public static func check(_ spec: ScenarioSpec) throws(ScenarioIssue) {
    if parameters(spec).strategyMethod {
      throw ScenarioIssue(
        path: "game.strategy_method", value: "true",
        message: "the dictator's recipient has no say, so it states no minimum acceptable offer; the strategy "
          + "method is for the ultimatum game")
    }
  }
}

extension GameType {
  public static let dictator: GameType = "dictator"
}
