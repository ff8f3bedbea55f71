import AgoraCore

/// The ultimatum game: the proposer offers a share of the stake; the responder accepts (the split happens) or
/// rejects (both get nothing). A responder with envy alpha and no other motive accepts offers above
/// `alpha / (1 + 2 alpha)` of the stake (Fehr & Schmidt 1999).
public struct Ultimatum: DivisionGame {
  public let spec: DivisionParameters
  public static var type: GameType { .ultimatum }
  public var responderDecides: Bool { true }
  /// `agent_steps.csv` may hold each agent's last offer and its belief that half the stake is accepted.
  public static var agentStepColumns: [Column] { [offerStepColumn, beliefStepColumn] }

  public init(spec: DivisionParameters) { self.spec = spec }

  /// The responder's utilities of `[accept, reject]` (prompt order; accept is salient) for an offer share `s`.
  /// The proposer's kindness is `2s - 1`: positive above the equal split, negative below it.
  public func responderUtilities(motives m: Motives, offerShare s: Double) -> (accept: Double, reject: Double) {
    let kindness = 2 * s - 1
    return (m.utility(own: s, other: 1 - s, kindness: kindness), m.utility(own: 0, other: 0, kindness: kindness))
  }

  public static var story: [StoryChart] {
    [
      StoryChart(
        "Offers and acceptance, round by round", columns: ["mean_offer", "acceptance_rate"],
        caption: "Proposers learn which offers are accepted: the mean offer settles where rejections become rare.")
    ]
  }

  public static let rateColumns = [
    Column("mean_offer", unit: Column.Unit.share, "mean offer proposers made, as a share of the stake"),
    Column("acceptance_rate", unit: Column.Unit.share, "share of offers accepted"),
    Column("rejection_rate", unit: Column.Unit.share, "share of offers rejected"),
    Column(
      "acceptance_rate_as_responder", unit: Column.Unit.share, "share of the offers they received that agents accepted"),
    Column(
      "share_offering_half", unit: Column.Unit.share,
      "share of offers of exactly half the stake (empty on a grid without the half)"),
    Column("share_offers_40_to_50_percent", unit: Column.Unit.share, "share of offers from 40% to 50% of the stake"),
    Column("share_offers_below_20_percent", unit: Column.Unit.share, "share of offers below 20% of the stake"),
    Column(
      "mean_min_acceptable_share", unit: Column.Unit.share,
      "mean minimum acceptable offer responders stated, as a share of the stake (with `strategy_method`; by segment: "
        + "that segment's responders)"),
    minimumColumn,
  ]

  /// The minimum acceptable offer each responder stated last (agents.csv, with `strategy_method`).
  public static let minimumColumn = Column(
    "min_acceptable_share", unit: Column.Unit.share,
    "the minimum acceptable offer the agent stated last as a responder (strategy method), as a share of the stake; "
      + "empty if it never responded")

  public func rates(_ tally: DivisionTally) -> [(String, Double)] {
    [
      ("mean_offer", tally.meanOffer), ("acceptance_rate", tally.acceptanceRate),
      ("rejection_rate", tally.rejectionRate), ("share_offering_half", tally.halfOfferRate),
      ("share_offers_40_to_50_percent", tally.fairishOfferRate),
      ("share_offers_below_20_percent", tally.lowOfferRate),
    ] + (spec.strategyMethod ? [("mean_min_acceptable_share", tally.meanMinimum)] : [])
  }
}

extension GameType {
  public static let ultimatum: GameType = "ultimatum"
}
