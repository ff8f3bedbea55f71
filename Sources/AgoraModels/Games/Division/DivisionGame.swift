import AgoraCore

/// A two-player game in which a proposer divides a stake by choosing an offer from a grid
/// `0, step, 2*step, ..., stake` (in that prompt order; the equal split is the salient option).
///
/// A game only computes the utilities of options and resolves outcomes; choosing is the ``ChoiceDecoder``'s job.
public protocol DivisionGame: Model, Sendable where Parameters == DivisionParameters {
  /// The game's parameters.
  var spec: DivisionParameters { get }
  init(spec: DivisionParameters)
  /// Whether the responder decides (ultimatum) or just receives the offer (dictator).
  var responderDecides: Bool { get }
  /// The responder's utilities of `[accept, reject]` for an offer share (only asked when `responderDecides`).
  func responderUtilities(motives: Motives, offerShare: Double) -> (accept: Double, reject: Double)
  /// The game-specific rates of a tally, by column name.
  func rates(_ tally: DivisionTally) -> [(String, Double)]
  /// The declarations of the rates' columns (and of any other column the game adds to its family's).
  static var rateColumns: [Column] { get }
}

extension DivisionGame {
  /// The offers on the grid, as shares of the stake.
  public var offerShares: [Double] { spec.grid.shares }

  /// The index of the offer closest to the equal split (the lower one on a tie).
  public var salientOffer: Int {
    (spec.grid.count - 1) / 2
  }

  public static var matchings: [MatchingType] { [.randomPairs, .asynchronous] }

  /// The family's columns and the game's rates.
  public static var columns: [Column] {
    [
      Column("interactions", .integer, unit: Column.Unit.count, "proposals made (one per pair per round)"),
      Column(
        "efficiency", unit: Column.Unit.share,
        "share of proposals that ended in a division (not rejected): the share of the stake not destroyed"),
    ] + rateColumns + offerColumns
  }

  /// The columns of `offers.csv`: the offer distribution and acceptance curve by the proposer's segment.
  public static var offerColumns: [Column] {
    [
      Column("segment", .string, "the proposers' segment"),
      Column("offer_share", unit: Column.Unit.share, "the offer on the grid, as a share of the stake"),
      Column("offer", "the offer in the stake's units (offer_share times the stake)"),
      Column("proposals", .integer, unit: Column.Unit.count, "proposals of this offer by the segment's proposers"),
      Column("accepted", .integer, unit: Column.Unit.count, "of those, the ones accepted (dictator: all)"),
      Column(
        "acceptance_rate", unit: Column.Unit.share, "accepted / proposals; empty when the offer was never made"),
    ].map { $0.only(in: "offers") }
  }
  public static var tables: [String] { ["offers"] }
  public static var logsEvents: Bool { true }
  public static var recordsAgentSteps: Bool { true }
  public static var learnings: [Learning] { [.none, .inContext, .population] }

  /// Plays the rounds in blocks of pairs on up to `setup.threads` threads (the output is the same for any number).
  public static func run(_ setup: RunSetup) throws -> RunResult {
    var run = DivisionRun(
      game: Self(spec: parameters(setup.spec)), scenario: setup.spec, population: setup.population, seeds: setup.seeds)
    run.threads = setup.threads
    run.languageModel = setup.languageModel
    run.setup = setup
    try run.run(events: setup.events, progress: setup.progress)
    return try Experiment.result(of: run, spec: setup.spec, runIndex: setup.runIndex, seconds: setup.seconds)
  }

  public static func estimatedBytes(_ spec: ScenarioSpec) -> Double {
    Experiment.divisionBytes(spec, responderLearns: Self(spec: parameters(spec)).responderDecides)
  }

  /// The proposer's expected utility of each offer, given its beliefs `accept[k]` that offer k is accepted and
  /// the population norm (`nil` before one is observed): `p_k U(1 - s_k, s_k) + (1 - p_k) U(0, 0) - conformity |s_k - norm|`.
  public static func proposerUtilities(
    motives m: Motives, shares: UnsafeBufferPointer<Double>, accept: UnsafeBufferPointer<Double>, norm: Double?,
    into out: UnsafeMutableBufferPointer<Double>
  ) {
    let disagreement = m.utility(own: 0, other: 0)
    let n = shares.count
    if m.riskAversion == 0 {
      // Money is the identity: a loop without a call or a branch, which the compiler vectorises.
      for k in 0..<n {
        let s = shares[k]
        out[k] = accept[k] * m.utility(ownValue: 1 - s, otherValue: s) + (1 - accept[k]) * disagreement
      }
    } else {
      for k in 0..<n {
        let s = shares[k]
        out[k] = accept[k] * m.utility(own: 1 - s, other: s) + (1 - accept[k]) * disagreement
      }
    }
    if let norm {
      for k in 0..<n { out[k] -= m.conformity * abs(shares[k] - norm) }
    }
  }
}

/// Counts of what happened in a set of division interactions.
public struct DivisionTally: Sendable, Hashable {
  /// The number of steps of the offer grid (offers are `k / gridSteps` of the stake).
  public var gridSteps: Int
  public var interactions = 0
  public var accepted = 0
  public var zeroOffers = 0
  /// Offers of exactly half the stake (none on a grid of an odd number of steps), and of all of it.
  public var halfOffers = 0
  public var wholeOffers = 0
  /// Offers below 20% of the stake, and from 40% to 50% of it (the bins of the ultimatum literature's summaries).
  public var lowOffers = 0
  public var fairishOffers = 0
  /// Sum of offers in grid steps (exact, so means do not drift).
  public var offerStepSum = 0
  /// Minimum acceptable offers stated (strategy method), and their sum in grid steps.
  public var minimums = 0
  public var minimumStepSum = 0

  public init(gridSteps: Int) { self.gridSteps = gridSteps }

  /// Counts `count` interactions at offer `k` (grid steps), `accepted` of them accepted, at once (a histogram's
  /// bin): the same counts as `count` calls of ``add(offer:accepted:minimum:)`` without a minimum.
  mutating func add(offer k: Int, count n: Int, accepted a: Int) {
    interactions += n
    offerStepSum += k * n
    if k == 0 { zeroOffers += n }
    if 2 * k == gridSteps { halfOffers += n }
    if k == gridSteps { wholeOffers += n }
    if 5 * k < gridSteps { lowOffers += n }
    if 5 * k >= 2 * gridSteps && 2 * k <= gridSteps { fairishOffers += n }
    accepted += a
  }

  /// Counts offer `k` (in grid steps) and whether it was accepted; `minimum` is the responder's stated minimum
  /// acceptable offer in grid steps (strategy method), or -1.
  public mutating func add(offer k: Int, accepted: Bool, minimum: Int = -1) {
    interactions += 1
    offerStepSum += k
    if k == 0 { zeroOffers += 1 }
    if 2 * k == gridSteps { halfOffers += 1 }
    if k == gridSteps { wholeOffers += 1 }
    if 5 * k < gridSteps { lowOffers += 1 }
    if 5 * k >= 2 * gridSteps && 2 * k <= gridSteps { fairishOffers += 1 }
    if accepted { self.accepted += 1 }
    if minimum >= 0 {
      minimums += 1
      minimumStepSum += minimum
    }
  }

  /// `count` over the interactions (NaN without interactions).
  func share(_ count: Int) -> Double { interactions > 0 ? Double(count) / Double(interactions) : .nan }

  /// Mean offer as a share of the stake (NaN without interactions).
  public var meanOffer: Double {
    interactions > 0 ? Double(offerStepSum) / (Double(interactions) * Double(gridSteps)) : .nan
  }

  /// Share of offers accepted (NaN without interactions).
  public var acceptanceRate: Double { share(accepted) }
  /// Share of offers rejected (NaN without interactions).
  public var rejectionRate: Double { share(interactions - accepted) }
  /// Share of offers of zero (NaN without interactions).
  public var zeroOfferRate: Double { share(zeroOffers) }
  /// Share of offers of exactly half the stake (NaN without interactions, or on a grid without the half).
  public var halfOfferRate: Double { gridSteps % 2 == 0 ? share(halfOffers) : .nan }
  /// Share of offers of the whole stake (NaN without interactions).
  public var wholeOfferRate: Double { share(wholeOffers) }
  /// Share of offers below 20% of the stake (NaN without interactions).
  public var lowOfferRate: Double { share(lowOffers) }
  /// Share of offers from 40% to 50% of the stake, both included (NaN without interactions).
  public var fairishOfferRate: Double { share(fairishOffers) }
  /// Mean stated minimum acceptable offer as a share of the stake (NaN when none was stated).
  public var meanMinimum: Double {
    minimums > 0 ? Double(minimumStepSum) / (Double(minimums) * Double(gridSteps)) : .nan
  }
  /// Realised over maximal surplus (NaN without interactions). A division realises the whole stake when it
  /// happens and nothing when it is rejected, so this is the share of divisions that happened, counted exactly.
  public var efficiency: Double { acceptanceRate }
}
