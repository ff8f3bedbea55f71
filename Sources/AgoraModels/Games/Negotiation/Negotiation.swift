import AgoraCore
import Foundation

/// GLEE's negotiation family: Alice sells a good she values at `F_A M` to Bob, who values it at `F_B M`. They
/// alternate price offers (Alice in odd rounds, on a grid of `offer_step` from 0 to twice the largest value); the
/// receiver accepts, rejects (and counters next round), or takes the outside option (no trade, zero surplus).
/// Without agreement by the horizon there is no trade.
///
/// There is no discounting, so with a told horizon the last proposer can take the whole surplus, and agents
/// reason so by backward induction; with an untold horizon they expect an even split of the surplus (the Nash
/// bargaining solution). The other's value is known (complete information) or one of `value_prior` (incomplete);
/// with `messages`, the receiver first states its value (honest agents truly; others shade it in their favour
/// by `(1 - honesty)` of a quarter), which the proposer trusts with its `prior_cooperation`.
public struct Negotiation: MatchGame {
  public let spec: NegotiationParameters
  public typealias Parameters = NegotiationParameters
  public static var type: GameType { .negotiation }
  let prices: [Double]

  public init(spec: NegotiationParameters) {
    self.spec = spec
    let steps = Int(Negotiation.priceSteps(spec).rounded(.up))
    prices = (0...steps).map { Double($0) * spec.offerStep / spec.stake }
  }

  /// The steps of `offer_step` from 0 to twice the largest value (`top` x stake): the price grid's size, which
  /// scenario validation bounds before the grid is made.
  public static func priceSteps(_ spec: NegotiationParameters) -> Double {
    2 * max(spec.valueA, spec.valueB, spec.valuePrior.max() ?? 1) * spec.stake / spec.offerStep
  }

  enum Counter: Int {
    case games, trades, walkaways, price, efficiency, fairness, gainAlice, gainBob, rounds, gleeEfficiency
  }

  public init(spec: NegotiationParameters, scenario: ScenarioSpec) { self.init(spec: spec) }
  public static func estimatedBytes(_ spec: ScenarioSpec) -> Double {
    Experiment.matchBytes(spec, perAgent: 120) + gameTableBytes(spec)
  }
  public static var logsEvents: Bool { true }
  public static func eventsPerAgentRound(_ spec: ScenarioSpec) -> Double { Double(parameters(spec).played) }

  /// At most ``ScenarioBounds/options`` prices per decision.
  public static func check(_ spec: ScenarioSpec) throws(ScenarioIssue) {
    let p = parameters(spec)
    let prices = priceSteps(p)
    guard prices <= Double(ScenarioBounds.options) else {
      throw ScenarioIssue(
        path: "game.offer_step", value: "\(p.offerStep)",
        message:
          "prices run from 0 to twice the largest value (of value_a, value_b, value_prior) x stake in steps of offer_step: "
          + "\(String(format: "%.3g", prices)) prices; at most \(ScenarioBounds.options): a larger offer_step or "
          + "smaller values")
    }
  }
  public var counterNames: [String] {
    [
      "games", "trades", "walkaways", "price", "efficiency", "fairness", "self_gain_alice", "self_gain_bob", "rounds",
      "glee_efficiency",
    ]
  }

  public var optionCount: Int { prices.count }

  public var headline: [String] { ["trade_rate", "mean_price", "fairness"] }

  public var parameterColumns: [(String, Cell)] {
    [
      ("stake", .double(spec.stake)), ("value_a", .double(spec.valueA)), ("value_b", .double(spec.valueB)),
      ("horizon", .string(spec.horizon.unbounded ? "unbounded" : String(spec.horizon.rounds))),
      ("information", .string(spec.information.rawValue)), ("messages", .int(spec.messages ? 1 : 0)),
    ]
  }

  public static let metricColumns = [
    Column("trade_rate", unit: Column.Unit.share, "share of games that ended in a trade"),
    Column(
      "outside_option_rate", unit: Column.Unit.share, "share of games in which the responder took the outside option"),
    Column("mean_price", unit: "stake", "mean agreed price as a multiple of the stake (price / stake), over trades"),
    Column(
      "rounds_to_trade", unit: "offer rounds", "mean round of the accepted offer (1 = Alice's first), over trades"),
    Column(
      "efficiency", unit: Column.Unit.share,
      "share of games with an efficient outcome: a trade at a price in [value_a, value_b] x stake, "
        + "or no trade when value_a >= value_b"),
    Column(
      "fairness",
      "mean over games of 1 - 4 (p - (value_a + value_b)/2)^2, p the price / stake, on trade; 1 without; "
        + "not clipped (may be negative)"),
    Column(
      "self_gain_alice", unit: "stake",
      "mean over games of the seller's surplus price / stake - value_a on trade, 0 without (may be negative)"),
    Column(
      "self_gain_bob", unit: "stake",
      "mean over games of the buyer's surplus value_b - price / stake on trade, 0 without (may be negative)"),
    Column(
      "glee_efficiency", unit: Column.Unit.share,
      "GLEE's efficiency: share of games with a trade (at any price) when value_b >= value_a, "
        + "or with no trade when value_a >= value_b"),
    Column("glee_fairness", "GLEE's fairness: the mean `fairness` clipped to [0, 1]"),
  ]

  /// `games.csv`: one row per game, GLEE's unit of analysis, with the game's own values of the summary's metrics.
  public static let gameColumns = [
    Column("alice", .integer, "the seller's agent id"),
    Column("bob", .integer, "the buyer's agent id"),
    Column("traded", .integer, "1 if the game ended in a trade, else 0"),
    Column("walked_away", .integer, "1 if a player took its outside option, else 0"),
    Column("trade_round", unit: "offer rounds", "the round of the accepted offer; empty without a trade"),
    Column("price", unit: "stake", "the agreed price / stake; empty without a trade"),
    Column(
      "efficiency", unit: Column.Unit.share,
      "1 if the price lies in [value_a, value_b], 0 if not; without a trade 1 if value_a >= value_b, else 0"),
    Column("fairness", "1 - 4 (p - (value_a + value_b)/2)^2, p the price / stake; 1 without a trade; not clipped"),
    Column("self_gain_alice", unit: "stake", "price / stake - value_a on trade, 0 without"),
    Column("self_gain_bob", unit: "stake", "value_b - price / stake on trade, 0 without"),
    Column(
      "glee_efficiency", unit: Column.Unit.share,
      "GLEE's: 1 for a trade when value_b >= value_a or no trade when value_a >= value_b, else 0"),
  ]

  public func metrics(_ c: GameCounters) -> [(String, Double)] {
    [
      ("trade_rate", c.ratio(Counter.trades.rawValue, Counter.games.rawValue)),
      ("outside_option_rate", c.ratio(Counter.walkaways.rawValue, Counter.games.rawValue)),
      ("mean_price", c.ratio(Counter.price.rawValue, Counter.trades.rawValue)),
      ("rounds_to_trade", c.ratio(Counter.rounds.rawValue, Counter.trades.rawValue)),
      ("efficiency", c.ratio(Counter.efficiency.rawValue, Counter.games.rawValue)),
      ("fairness", c.ratio(Counter.fairness.rawValue, Counter.games.rawValue)),
      ("self_gain_alice", c.ratio(Counter.gainAlice.rawValue, Counter.games.rawValue)),
      ("self_gain_bob", c.ratio(Counter.gainBob.rawValue, Counter.games.rawValue)),
      ("glee_efficiency", GLEE.clip(c.ratio(Counter.gleeEfficiency.rawValue, Counter.games.rawValue), 0, 1)),
      ("glee_fairness", GLEE.clip(c.ratio(Counter.fairness.rawValue, Counter.games.rawValue), 0, 1)),
    ]
  }

  /// The surpluses (seller's, buyer's) both expect if the offer of round `t` is rejected: with a told horizon the
  /// last proposer can take the whole surplus (every earlier offer that leaves it less is rejected), so it gets it;
  /// after the last round there is no trade; an untold horizon splits the surplus evenly.
  func continuation(round t: Int, seller: Double, buyer: Double) -> (seller: Double, buyer: Double) {
    let surplus = max(0, buyer - seller)
    if spec.horizon.unbounded { return (surplus / 2, surplus / 2) }
    guard t < spec.horizon.rounds else { return (0, 0) }
    return spec.horizon.rounds % 2 == 1 ? (surplus, 0) : (0, surplus)
  }

  public mutating func play(_ group: MatchGroup, round: Int, context: inout MatchContext) {
    let alice = Int(group[0])
    let bob = Int(group[1])
    let va = spec.valueA
    let vb = spec.valueB
    let k = prices.count
    var outcome: (round: Int, price: Double)? = nil
    var walked = false
    // With messages, what each side wrote to the other since the other last decided (language-model agents).
    var inbox = Inbox()
    for t in 1...spec.played {
      let sellerProposes = t % 2 == 1
      let (proposer, responder) = sellerProposes ? (alice, bob) : (bob, alice)
      let own = sellerProposes ? va : vb
      let others = spec.information == .complete ? [sellerProposes ? vb : va] : spec.valuePrior
      var stated: Double? = nil
      // A language-model responder writes its own message instead (free text, read by a language-model proposer).
      if spec.messages && !context.asksModel(responder) {
        let truth = sellerProposes ? vb : va
        let honesty = min(1, max(0, context.population.value(.honesty, of: responder)))
        stated = truth * (1 + (sellerProposes ? -0.25 : 0.25) * (1 - honesty))
      }
      let trust = context.belief(proposer)
      // Whether a responder with value `v` accepts price `x`: its surplus now beats waiting to propose next round.
      func accepts(_ x: Double, _ v: Double) -> Bool {
        let (s, b) = sellerProposes ? (own, v) : (v, own)
        let surplusNow = sellerProposes ? b - x : x - s
        let later = continuation(round: t, seller: s, buyer: b)
        return surplusNow >= (sellerProposes ? later.buyer : later.seller) - 1e-9
      }
      let salient = prices.indices.min { abs(prices[$0] - (va + vb) / 2) < abs(prices[$1] - (va + vb) / 2) } ?? 0
      let price = prices[
        context.choose(
          proposer, options: k, salient: salient,
          prompt: proposePrompt(
            round: t, seller: sellerProposes, value: own, stated: stated, heard: inbox.unread(proposer))
        ) { pm, u in
          for option in 0..<k {
            let x = prices[option]
            var accept = Double(others.filter { accepts(x, $0) }.count) / Double(others.count)
            if let stated { accept = trust * (accepts(x, stated) ? 1 : 0) + (1 - trust) * accept }
            let mean = others.reduce(0, +) / Double(others.count)
            let mine = sellerProposes ? x - own : own - x
            let theirs = sellerProposes ? mean - x : x - mean
            let later = continuation(
              round: t, seller: sellerProposes ? own : mean, buyer: sellerProposes ? mean : own)
            let (laterMine, laterTheirs) = sellerProposes ? (later.seller, later.buyer) : (later.buyer, later.seller)
            u[option] =
              accept * pm.utility(own: mine, other: theirs) + (1 - accept)
              * pm.utility(own: laterMine, other: laterTheirs)
          }
        }]
      if spec.messages { inbox.decided(proposer, writingTo: responder, context: context) }
      let mineNow = sellerProposes ? vb - price : price - va
      let theirsNow = sellerProposes ? price - va : vb - price
      let later = continuation(round: t, seller: va, buyer: vb)
      let (laterMine, laterTheirs) = sellerProposes ? (later.buyer, later.seller) : (later.seller, later.buyer)
      let choice = context.choose(
        responder, options: 3, salient: 0,
        prompt: respondPrompt(
          round: t, seller: !sellerProposes, value: sellerProposes ? vb : va, price: price,
          heard: inbox.unread(responder))
      ) { rm, u in
        u[0] = rm.utility(own: mineNow, other: theirsNow, kindness: max(-1, min(1, 2 * mineNow)))
        u[1] = rm.utility(own: laterMine, other: laterTheirs)
        u[2] = rm.utility(own: 0, other: 0)
      }
      if spec.messages { inbox.decided(responder, writingTo: proposer, context: context) }
      context.observe(proposer, choice == 0 ? 1 : 0)
      // Logged: the price proposed (an amount); the seller's and the buyer's surplus when it is accepted.
      let (sellerGain, buyerGain) = (spec.stake * (price - va), spec.stake * (vb - price))
      context.log(
        proposer: proposer, responder: responder, offer: spec.stake * price, accepted: choice == 0,
        proposerPayoff: choice == 0 ? (sellerProposes ? sellerGain : buyerGain) : 0,
        responderPayoff: choice == 0 ? (sellerProposes ? buyerGain : sellerGain) : 0)
      if choice == 0 {
        outcome = (t, price)
        break
      }
      if choice == 2 {
        walked = true
        break
      }
    }
    context.count(Counter.games.rawValue, for: alice, against: bob)
    if walked { context.count(Counter.walkaways.rawValue, for: alice, against: bob) }
    // GLEE's efficiency: a trade when there are gains from trade (at any price), none when there are losses;
    // always efficient when the values are equal.
    let gleeEfficient = outcome == nil ? va >= vb : vb >= va
    if gleeEfficient { context.count(Counter.gleeEfficiency.rawValue, for: alice, against: bob) }
    guard let outcome else {
      context.count(Counter.efficiency.rawValue, va >= vb ? 1 : 0, for: alice, against: bob)
      context.count(Counter.fairness.rawValue, 1, for: alice, against: bob)
      context.record(game: [
        Double(alice), Double(bob), 0, walked ? 1 : 0, .nan, .nan, va >= vb ? 1 : 0, 1, 0, 0, gleeEfficient ? 1 : 0,
      ])
      return
    }
    let p = outcome.price
    let m = spec.stake
    context.pay(alice, m * (p - va))
    context.pay(bob, m * (vb - p))
    context.count(Counter.trades.rawValue, for: alice, against: bob)
    context.count(Counter.rounds.rawValue, Double(outcome.round), for: alice, against: bob)
    context.count(Counter.price.rawValue, p, for: alice, against: bob)
    context.count(Counter.efficiency.rawValue, va <= p && p <= vb ? 1 : 0, for: alice, against: bob)
    let gap = p - (va + vb) / 2
    context.count(Counter.fairness.rawValue, 1 - 4 * gap * gap, for: alice, against: bob)
    context.count(Counter.gainAlice.rawValue, p - va, for: alice, against: bob)
    context.count(Counter.gainBob.rawValue, vb - p, for: alice, against: bob)
    context.record(game: [
      Double(alice), Double(bob), 1, 0, Double(outcome.round), p, va <= p && p <= vb ? 1 : 0, 1 - 4 * gap * gap,
      p - va, vb - p, gleeEfficient ? 1 : 0,
    ])
  }

  func rules(seller: Bool, value: Double) -> String {
    let horizon =
      spec.horizon.unbounded
      ? "There is no fixed last round." : "If there is no deal after round \(spec.horizon.rounds), there is no trade."
    return "You negotiate the price of a good. "
      + (seller ? "You are the seller (Alice); the good is worth " : "You are the buyer (Bob); the good is worth ")
      + "\(DecisionPrompt.amount(value * spec.stake)) to you. The seller proposes in odd rounds, the buyer in even "
      + "rounds; the other accepts, rejects and counters next round, or walks away (no trade). \(horizon)"
  }

  func proposePrompt(round t: Int, seller: Bool, value: Double, stated: Double?, heard: [String]) -> DecisionPrompt {
    var question =
      "Round \(t). " + heard.map { DecisionPrompt.heard($0, from: "The other side") + " " }.joined()
      + "You propose a price."
    if let stated {
      question += " The other side says the good is worth \(DecisionPrompt.amount(stated * spec.stake)) to it."
    }
    var prompt = DecisionPrompt(
      kind: "negotiation.propose", rules: rules(seller: seller, value: value), question: question,
      options: prices.map { "price \(DecisionPrompt.amount($0 * spec.stake))" })
    prompt.asksMessage = spec.messages
    return prompt
  }

  func respondPrompt(round t: Int, seller: Bool, value: Double, price: Double, heard: [String]) -> DecisionPrompt {
    var prompt = DecisionPrompt(
      kind: "negotiation.respond", rules: rules(seller: seller, value: value),
      question: "Round \(t). The other side proposes a price of \(DecisionPrompt.amount(price * spec.stake))."
        + heard.map { " " + DecisionPrompt.heard($0, from: "The other side") }.joined(),
      options: ["accept", "reject and make a counter-offer next round", "walk away (no trade)"])
    prompt.asksMessage = spec.messages
    return prompt
  }
}

extension GameType {
  public static let negotiation: GameType = "negotiation"
}
