import AgoraCore
import Foundation

/// GLEE's bargaining family (Rubinstein 1982, finite or unbounded): Alice and Bob split M by alternating offers,
/// Alice proposing in odd rounds. On agreement in round t on Alice's share p, the utilities are
/// `M (delta_A^(t-1) p, delta_B^(t-1) (1 - p))`; without agreement by the horizon, (0, 0). A finite horizon is told to
/// the agents; "unbounded" plays at most 99 rounds and is not told.
///
/// Agents reason as the subgame-perfect analysis does: the continuation value of a rejection is the responder's
/// share as the next proposer (backward induction from a told horizon, Rubinstein's `(1 - d_r)/(1 - d_p d_r)`
/// otherwise), computed with the other's discount factor when information is complete and averaged over
/// `delta_prior` when it is not. Utilities then add the agents' motives; the decoder chooses. With `messages`, the
/// responder first states the least share it will accept (honest agents state it truly; others inflate it by
/// `(1 - honesty)` of the gap to everything), and the proposer trusts the statement with its `prior_cooperation`.
public struct Bargaining: MatchGame {
  public let spec: BargainingParameters
  public typealias Parameters = BargainingParameters
  public static var type: GameType { .bargaining }
  let shares: [Double]

  public init(spec: BargainingParameters) {
    self.spec = spec
    shares = spec.grid.shares
  }

  enum Counter: Int {
    case games, agreements, rounds, aliceShare, efficiency, fairness, gainAlice, gainBob
    case gleeEfficiency, gleeFairness, gleeGainBob
  }

  public init(spec: BargainingParameters, scenario: ScenarioSpec) { self.init(spec: spec) }
  public static func estimatedBytes(_ spec: ScenarioSpec) -> Double {
    Experiment.matchBytes(spec, perAgent: 136) + gameTableBytes(spec)
  }
  public static var logsEvents: Bool { true }
  public static func eventsPerAgentRound(_ spec: ScenarioSpec) -> Double { Double(parameters(spec).played) }
  public var counterNames: [String] {
    [
      "games", "agreements", "rounds", "alice_share", "efficiency", "fairness", "self_gain_alice", "self_gain_bob",
      "glee_efficiency", "glee_fairness", "glee_self_gain_bob",
    ]
  }

  public var optionCount: Int { shares.count }

  public var headline: [String] { ["agreement_rate", "alice_share", "fairness"] }

  public var parameterColumns: [(String, Cell)] {
    [
      ("stake", .double(spec.stake)), ("delta_a", .double(spec.deltaA)), ("delta_b", .double(spec.deltaB)),
      ("horizon", .string(spec.horizon.unbounded ? "unbounded" : String(spec.horizon.rounds))),
      ("information", .string(spec.information.rawValue)), ("messages", .int(spec.messages ? 1 : 0)),
    ]
  }

  public static let metricColumns = [
    Column("agreement_rate", unit: Column.Unit.share, "share of games that ended in an agreement"),
    Column(
      "rounds_to_agreement", unit: "offer rounds",
      "mean round of the accepted offer (1 = Alice's first offer), over games with an agreement"),
    Column(
      "alice_share", unit: Column.Unit.share,
      "mean share p of the stake Alice got in the agreed split (undiscounted), over games with an agreement"),
    Column(
      "efficiency", unit: Column.Unit.share,
      "mean over games of the discounted shares both got, delta_a^(t-1) p + delta_b^(t-1) (1 - p) for agreement "
        + "in round t on Alice's share p; 0 without agreement"),
    Column(
      "fairness",
      "mean over games of 1 - 4 (p - 1/2)^2 for Alice's agreed share p (1 = even split); 1 without agreement"),
    Column(
      "self_gain_alice", unit: Column.Unit.share,
      "mean over games of Alice's discounted share of the stake, delta_a^(t-1) p; 0 without agreement"),
    Column(
      "self_gain_bob", unit: Column.Unit.share,
      "mean over games of Bob's discounted share of the stake, delta_b^(t-1) (1 - p); 0 without agreement"),
    Column(
      "glee_efficiency", unit: Column.Unit.share,
      "GLEE's efficiency: as `efficiency`, but a disagreement counts delta_b^(T-1) (p = 0 after the T rounds "
        + "played); the mean clipped to [0, 1]"),
    Column(
      "glee_fairness", "GLEE's fairness: as `fairness`, but a disagreement counts 0; the mean clipped to [0, 1]"),
    Column(
      "glee_self_gain_bob", unit: Column.Unit.share,
      "GLEE's Bob gain: as `self_gain_bob`, but a disagreement counts delta_b^(T-1) (T rounds played); "
        + "the mean clipped to [0, 1]"),
  ]

  /// `games.csv`: one row per game, GLEE's unit of analysis, with the game's own values of the summary's metrics.
  public static let gameColumns = [
    Column("alice", .integer, "Alice's agent id (she proposes in odd rounds)"),
    Column("bob", .integer, "Bob's agent id"),
    Column("agreed", .integer, "1 if the game ended in an agreement, else 0"),
    Column(
      "agreement_round", unit: "offer rounds",
      "the round of the accepted offer (1 = Alice's first); empty without agreement"),
    Column("alice_share", unit: Column.Unit.share, "Alice's agreed share p (undiscounted); empty without agreement"),
    Column(
      "efficiency", unit: Column.Unit.share, "delta_a^(t-1) p + delta_b^(t-1) (1 - p); 0 without agreement"),
    Column("fairness", "1 - 4 (p - 1/2)^2; 1 without agreement"),
    Column("self_gain_alice", unit: Column.Unit.share, "delta_a^(t-1) p; 0 without agreement"),
    Column("self_gain_bob", unit: Column.Unit.share, "delta_b^(t-1) (1 - p); 0 without agreement"),
    Column(
      "glee_efficiency", unit: Column.Unit.share,
      "GLEE's: as efficiency, but a disagreement counts delta_b^(T-1) after the T rounds played; not clipped"),
    Column("glee_fairness", "GLEE's: as fairness, but a disagreement counts 0"),
    Column(
      "glee_self_gain_bob", unit: Column.Unit.share,
      "GLEE's: as self_gain_bob, but a disagreement counts delta_b^(T-1); not clipped"),
  ]

  public func metrics(_ c: GameCounters) -> [(String, Double)] {
    [
      ("agreement_rate", c.ratio(Counter.agreements.rawValue, Counter.games.rawValue)),
      ("rounds_to_agreement", c.ratio(Counter.rounds.rawValue, Counter.agreements.rawValue)),
      ("alice_share", c.ratio(Counter.aliceShare.rawValue, Counter.agreements.rawValue)),
      ("efficiency", c.ratio(Counter.efficiency.rawValue, Counter.games.rawValue)),
      ("fairness", c.ratio(Counter.fairness.rawValue, Counter.games.rawValue)),
      ("self_gain_alice", c.ratio(Counter.gainAlice.rawValue, Counter.games.rawValue)),
      ("self_gain_bob", c.ratio(Counter.gainBob.rawValue, Counter.games.rawValue)),
      ("glee_efficiency", GLEE.clip(c.ratio(Counter.gleeEfficiency.rawValue, Counter.games.rawValue), 0, 1)),
      ("glee_fairness", GLEE.clip(c.ratio(Counter.gleeFairness.rawValue, Counter.games.rawValue), 0, 1)),
      ("glee_self_gain_bob", GLEE.clip(c.ratio(Counter.gleeGainBob.rawValue, Counter.games.rawValue), 0, 1)),
    ]
  }

  /// How far (in shares of the stake, and utilities in those units) an offer may fall short of the responder's
  /// reservation and still count as a tie, which both sides resolve as acceptance: the rounding of a reservation
  /// that lies on the offer grid must not delay agreement.
  static let tieTolerance = 1e-9

  /// The share the proposer of round `t` (1-based) gets in the subgame-perfect agreement, when the proposer
  /// discounts by `dp` and the responder by `dr`.
  func equilibriumShare(round t: Int, proposer dp: Double, responder dr: Double) -> Double {
    if spec.horizon.unbounded {
      let denominator = 1 - dp * dr
      return denominator <= 1e-12 ? 0.5 : (1 - dr) / denominator
    }
    var x = 1.0
    var last = spec.horizon.rounds
    while last > t {
      let responderAtPrevious = (last - t) % 2 == 1 ? dr : dp
      x = 1 - responderAtPrevious * x
      last -= 1
    }
    return x
  }

  /// The other player's discount factors an agent considers, with its own factor `mine`.
  func believed(other: Double) -> [Double] { spec.information == .complete ? [other] : spec.deltaPrior }

  public mutating func play(_ group: MatchGroup, round: Int, context: inout MatchContext) {
    let alice = Int(group[0])
    let bob = Int(group[1])
    let m = spec.stake
    let k = shares.count
    let told = !spec.horizon.unbounded
    var agreed: (round: Int, aliceShare: Double)? = nil
    // With messages, what each player wrote to the other since the other last decided (language-model agents).
    var inbox = Inbox()
    for t in 1...spec.played {
      let aliceProposes = t % 2 == 1
      let (proposer, responder) = aliceProposes ? (alice, bob) : (bob, alice)
      let dp = aliceProposes ? spec.deltaA : spec.deltaB
      let dr = aliceProposes ? spec.deltaB : spec.deltaA
      let lastTold = told && t == spec.horizon.rounds
      let dpNow = Foundation.pow(dp, Double(t - 1))
      let drNow = Foundation.pow(dr, Double(t - 1))
      // The responder's reservation share as the proposer believes it: its next-round share, discounted.
      let responderDeltas = believed(other: dr)
      let reservations = responderDeltas.map { d in
        lastTold ? 0 : d * equilibriumShare(round: t + 1, proposer: d, responder: dp)
      }
      var stated = -1.0
      // A language-model responder writes its own message instead (free text, read by a language-model proposer).
      if spec.messages && !context.asksModel(responder) {
        let own = lastTold ? 0 : dr * equilibriumShare(round: t + 1, proposer: dr, responder: dp)
        let honesty = min(1, max(0, context.population.value(.honesty, of: responder)))
        stated = own + (1 - honesty) * (1 - own) / 2
      }
      let trust = context.belief(proposer)
      let pm = context.motives(proposer)
      let continuation =
        lastTold
        ? pm.utility(own: 0, other: 0)
        : responderDeltas.map { d -> Double in
          let x = equilibriumShare(round: t + 1, proposer: d, responder: dp)
          return pm.utility(own: dpNow * dp * (1 - x), other: Foundation.pow(d, Double(t)) * x)
        }.reduce(0, +) / Double(responderDeltas.count)
      for option in 0..<k {
        let own = shares[option]
        var accept =
          Double(reservations.filter { 1 - own >= $0 - Self.tieTolerance }.count) / Double(reservations.count)
        if stated >= 0 { accept = trust * (1 - own >= stated - Self.tieTolerance ? 1 : 0) + (1 - trust) * accept }
        context.utilities[option] =
          accept * pm.utility(own: dpNow * own, other: drNow * (1 - own)) + (1 - accept) * continuation
      }
      let own = shares[
        context.chooseAmount(
          proposer, options: k, salient: (k - 1) / 2,
          prompt: proposePrompt(
            round: t, alice: aliceProposes, discount: dp, stated: stated, heard: inbox.unread(proposer)))]
      if spec.messages { inbox.decided(proposer, writingTo: responder, context: context) }
      // The responder: accept now, or its continuation as the next proposer.
      let rm = context.motives(responder)
      let proposerDeltas = believed(other: dp)
      context.utilities[0] = rm.utility(own: drNow * (1 - own), other: dpNow * own, kindness: 1 - 2 * own)
      context.utilities[1] =
        lastTold
        ? rm.utility(own: 0, other: 0)
        : proposerDeltas.map { d -> Double in
          let x = equilibriumShare(round: t + 1, proposer: dr, responder: d)
          return rm.utility(own: drNow * dr * x, other: Foundation.pow(d, Double(t)) * (1 - x))
        }.reduce(0, +) / Double(proposerDeltas.count)
      // The proposer counts an offer within the tolerance of the reservation as accepted; so does the responder.
      let (acceptNow, rejectNow) = (context.utilities[0], context.utilities[1])
      if acceptNow < rejectNow && acceptNow >= rejectNow - Self.tieTolerance { context.utilities[0] = rejectNow }
      let accepted =
        context.choose(
          responder, options: 2, salient: 0,
          prompt: respondPrompt(
            round: t, alice: !aliceProposes, discount: dr, own: own, heard: inbox.unread(responder))
        ) == 0
      if spec.messages { inbox.decided(responder, writingTo: proposer, context: context) }
      context.observe(proposer, accepted ? 1 : 0)
      // Logged: the amount offered to the responder; the discounted shares when it is accepted.
      context.log(
        proposer: proposer, responder: responder, offer: m * (1 - own), accepted: accepted,
        proposerPayoff: accepted ? m * dpNow * own : 0, responderPayoff: accepted ? m * drNow * (1 - own) : 0)
      if accepted {
        agreed = (t, aliceProposes ? own : 1 - own)
        break
      }
    }
    context.count(Counter.games.rawValue, for: alice, against: bob)
    guard let agreed else {
      context.count(Counter.fairness.rawValue, 1, for: alice, against: bob)
      // GLEE's code scores a disagreement as Alice's share p = 0 after the rounds played: fairness 0, and Bob's
      // gain (and the efficiency) dB^(T-1).
      let bobGLEE = Foundation.pow(spec.deltaB, Double(spec.played - 1))
      context.count(Counter.gleeEfficiency.rawValue, bobGLEE, for: alice, against: bob)
      context.count(Counter.gleeGainBob.rawValue, bobGLEE, for: alice, against: bob)
      context.record(game: [Double(alice), Double(bob), 0, .nan, .nan, 0, 1, 0, 0, bobGLEE, 0, bobGLEE])
      return
    }
    let p = agreed.aliceShare
    let gainA = Foundation.pow(spec.deltaA, Double(agreed.round - 1)) * p
    let gainB = Foundation.pow(spec.deltaB, Double(agreed.round - 1)) * (1 - p)
    context.pay(alice, m * gainA)
    context.pay(bob, m * gainB)
    context.count(Counter.agreements.rawValue, for: alice, against: bob)
    context.count(Counter.rounds.rawValue, Double(agreed.round), for: alice, against: bob)
    context.count(Counter.aliceShare.rawValue, p, for: alice, against: bob)
    context.count(Counter.efficiency.rawValue, gainA + gainB, for: alice, against: bob)
    let fairness = 1 - 4 * (p - 0.5) * (p - 0.5)
    context.count(Counter.fairness.rawValue, fairness, for: alice, against: bob)
    context.count(Counter.gainAlice.rawValue, gainA, for: alice, against: bob)
    context.count(Counter.gainBob.rawValue, gainB, for: alice, against: bob)
    context.count(Counter.gleeEfficiency.rawValue, gainA + gainB, for: alice, against: bob)
    context.count(Counter.gleeFairness.rawValue, fairness, for: alice, against: bob)
    context.count(Counter.gleeGainBob.rawValue, gainB, for: alice, against: bob)
    context.record(game: [
      Double(alice), Double(bob), 1, Double(agreed.round), p, gainA + gainB, fairness, gainA, gainB, gainA + gainB,
      fairness, gainB,
    ])
  }

  func rules(alice: Bool, discount: Double) -> String {
    let horizon =
      spec.horizon.unbounded
      ? "There is no fixed last round."
      : "If there is no agreement after round \(spec.horizon.rounds), both get nothing."
    return "You and another player split \(DecisionPrompt.amount(spec.stake)) by alternating offers; you are "
      + (alice ? "Alice (you propose in odd rounds)" : "Bob (you propose in even rounds)")
      + ". Each round one proposes a split and the other accepts or rejects it. \(horizon) Every round of delay "
      + "multiplies what you get by \(DecisionPrompt.amount(discount))."
  }

  func proposePrompt(round t: Int, alice: Bool, discount: Double, stated: Double, heard: [String]) -> DecisionPrompt {
    let stake = spec.stake
    var question = "Round \(t). " + heard.map { DecisionPrompt.heard($0) + " " }.joined() + "You propose."
    if stated >= 0 {
      question += " The other player said it will not accept less than \(DecisionPrompt.amount(stated * stake))."
    }
    var prompt = DecisionPrompt(
      kind: "bargaining.propose", rules: rules(alice: alice, discount: discount), question: question,
      options: shares.map {
        "keep \(DecisionPrompt.amount($0 * stake)), offer \(DecisionPrompt.amount((1 - $0) * stake))"
      })
    prompt.asksMessage = spec.messages
    return prompt
  }

  func respondPrompt(round t: Int, alice: Bool, discount: Double, own: Double, heard: [String]) -> DecisionPrompt {
    let stake = spec.stake
    var prompt = DecisionPrompt(
      kind: "bargaining.respond", rules: rules(alice: alice, discount: discount),
      question: "Round \(t). The other player keeps \(DecisionPrompt.amount(own * stake)) and offers you "
        + "\(DecisionPrompt.amount((1 - own) * stake))." + heard.map { " " + DecisionPrompt.heard($0) }.joined(),
      options: ["accept", "reject"])
    prompt.asksMessage = spec.messages
    return prompt
  }
}

extension GameType {
  public static let bargaining: GameType = "bargaining"
}
