import AgoraCore

/// GLEE's persuasion family: over `horizon` rounds (20) a seller offers a product that is of high quality with
/// probability `p`. The seller sees the quality and sends a recommendation (binary: "high" or "low"; text: a claim
/// from "excellent", "good", "fair", "poor"); the buyer buys at price M or passes, then sees the quality. A high-
/// quality product is worth `v M` to the buyer, a low one nothing. One long-lived buyer sees the whole history; or
/// (`myopic`) each round's buyer is new: it sees only GLEE's statistics of the seller's record, how many products
/// were sold and how many of those were of high quality, and the seller has no one future buyer to keep. As in GLEE,
/// where every new buyer is a fresh conversation with the same model, the new buyers of a seller's game are one
/// agent playing each round afresh, so both kinds play the same number of games per population.
///
/// The long-lived buyer believes a claim's credibility `P(high | claim)` from that claim's record (Beta-smoothed
/// towards `p` with its `prior_weight`; agents with `learning: none` keep `p`); a myopic one credits a positive claim
/// with the share of high quality among the products sold (smoothed the same way) and believes a negative one (a
/// seller never gains by understating quality, and the buyer has no record of such claims); either buys by
/// expected utility. The seller knows
/// the buyer's record too, predicts whether a claim sells (knowing `v`, or over `buyer_value_prior`), and weighs a
/// sale against its honesty (`honesty * |claim - quality|`) and, with a long-lived buyer, its reputation
/// (`patience` times the share of rounds left, per unit overclaimed).
public struct Persuasion: MatchGame {
  public let spec: PersuasionParameters
  public typealias Parameters = PersuasionParameters
  public static var type: GameType { .persuasion }
  /// The quality each claim asserts, in prompt order (most positive first).
  let levels: [Double]
  /// The words of each claim, in prompt order.
  let claimWords: [String]
  var claimed: [Double] = []
  var high: [Double] = []

  public init(spec: PersuasionParameters) {
    self.spec = spec
    levels = spec.claims == .binary ? [1, 0] : [1, 2.0 / 3, 1.0 / 3, 0]
    claimWords = spec.claims == .binary ? ["high quality", "low quality"] : ["excellent", "good", "fair", "poor"]
  }

  public init(spec: PersuasionParameters, scenario: ScenarioSpec) { self.init(spec: spec) }
  public static func estimatedBytes(_ spec: ScenarioSpec) -> Double {
    Experiment.matchBytes(spec, perAgent: 120) + gameTableBytes(spec)
  }
  public static func eventsPerAgentRound(_ spec: ScenarioSpec) -> Double { Double(parameters(spec).horizon) }
  public var playersPerMatch: Int? { 2 }

  enum Counter: Int {
    case games, efficiency, efficiencyGames, fairness, fairnessGames, sellerGain, buyerGain, rounds, purchases
    case lowRounds, truthfulLow, positiveClaims, boughtAfterPositive, negativeClaims, boughtAfterNegative
    case gleeBuyerGain
  }

  public var counterNames: [String] {
    [
      "games", "efficiency", "efficiency_games", "fairness", "fairness_games", "self_gain_seller", "self_gain_buyer",
      "rounds", "purchases", "low_rounds", "truthful_low", "positive_claims", "bought_after_positive",
      "negative_claims", "bought_after_negative", "glee_self_gain_buyer",
    ]
  }

  public var headline: [String] { ["purchase_rate", "honesty_rate", "fairness"] }

  public var parameterColumns: [(String, Cell)] {
    [
      ("stake", .double(spec.stake)), ("quality_prior", .double(spec.qualityPrior)),
      ("buyer_value", .double(spec.buyerValue)), ("seller_knows_value", .int(spec.sellerKnowsValue ? 1 : 0)),
      ("claims", .string(spec.claims.rawValue)), ("buyer", .string(spec.buyer.rawValue)),
      ("buyer_messages", .int(spec.buyerMessages ? 1 : 0)),
      ("horizon", .int(spec.horizon)),
    ]
  }

  public static let metricColumns = [
    Column(
      "efficiency", unit: Column.Unit.share,
      "mean over games (a seller's `horizon` rounds) with a high-quality product of the share of those bought"),
    Column(
      "fairness", unit: Column.Unit.share,
      "mean over games with a low-quality product of the share of low-quality products not bought"),
    Column(
      "self_gain_seller", unit: Column.Unit.share, "mean over games of the seller's sales per round (sales / horizon)"),
    Column(
      "self_gain_buyer", unit: "stake",
      "mean over games of the buyers' net gain per round in units of the price: "
        + "(high-quality bought x (buyer_value - 1) - low-quality bought) / horizon"),
    Column("purchase_rate", unit: Column.Unit.share, "share of rounds in which the buyer bought"),
    Column(
      "honesty_rate", unit: Column.Unit.share,
      "share of low-quality rounds in which the seller's claim asserted a quality below 1/2"),
    Column(
      "purchase_rate_after_positive", unit: Column.Unit.share,
      "share of rounds whose claim asserted a quality of at least 1/2 in which the buyer bought"),
    Column(
      "purchase_rate_after_negative", unit: Column.Unit.share,
      "share of rounds whose claim asserted a quality below 1/2 in which the buyer bought"),
    Column(
      "glee_self_gain_buyer", unit: "stake",
      "GLEE's buyer gain: mean over games of (high-quality bought x (buyer_value - 1) - low-quality not bought) "
        + "/ horizon, clipped below at -1"),
  ]

  /// One row per round of a seller's game in `events.csv` (`output.events`): the claim and the buyer's decision.
  public static let eventColumns = [
    Column(
      "round", .integer, unit: Column.Unit.rounds, "the run's round in which the seller's game was played, from 1"),
    Column("stage", .integer, unit: Column.Unit.rounds, "the round of the seller's game, from 1 (up to `horizon`)"),
    Column("seller", .integer, "the seller's agent id"),
    Column(
      "buyer", .integer,
      "the buyer's agent id (with `buyer: myopic` the same agent plays each round as a new buyer, as in GLEE)"),
    Column("quality", .string, "the product's quality, which the seller saw: `high` or `low`"),
    Column(
      "claim", .string,
      "what the seller said: `high quality` or `low quality` (binary claims); `excellent`, `good`, `fair` or `poor` "
        + "(text claims)"),
    Column("bought", .integer, "1 if the buyer bought the product at the price `stake`, else 0"),
    Column("seller_payoff", unit: Column.Unit.payoff, "the seller's payoff: the price when the buyer bought, else 0"),
    Column(
      "buyer_payoff", unit: Column.Unit.payoff,
      "the buyer's payoff: the product's worth to it (`buyer_value` x price if high, else 0) less the price when it "
        + "bought, else 0"),
  ]

  /// `games.csv`: one row per seller's game, GLEE's unit of analysis, with the game's own values of the metrics.
  public static let gameColumns = [
    Column("seller", .integer, "the seller's agent id"),
    Column("buyer", .integer, "the buyer's agent id (with `buyer: myopic`, the agent playing every new buyer)"),
    Column("high_quality_rounds", .integer, unit: Column.Unit.count, "rounds whose product was of high quality (n)"),
    Column("purchases", .integer, unit: Column.Unit.count, "rounds in which the buyer bought"),
    Column(
      "efficiency", unit: Column.Unit.share, "high-quality products bought / n; empty when n = 0 (GLEE drops it)"),
    Column(
      "fairness", unit: Column.Unit.share,
      "low-quality products not bought / low-quality rounds; empty when every product was of high quality"),
    Column("self_gain_seller", unit: Column.Unit.share, "sales / rounds"),
    Column(
      "self_gain_buyer", unit: "stake",
      "(high-quality bought x (v - 1) - low-quality bought) / rounds: the buyer's gain in prices a round"),
    Column(
      "glee_self_gain_buyer", unit: "stake",
      "GLEE's: (high-quality bought x (v - 1) - low-quality not bought) / rounds; not clipped"),
  ]

  public func metrics(_ c: GameCounters) -> [(String, Double)] {
    [
      ("efficiency", c.ratio(Counter.efficiency.rawValue, Counter.efficiencyGames.rawValue)),
      ("fairness", c.ratio(Counter.fairness.rawValue, Counter.fairnessGames.rawValue)),
      ("self_gain_seller", c.ratio(Counter.sellerGain.rawValue, Counter.games.rawValue)),
      ("self_gain_buyer", c.ratio(Counter.buyerGain.rawValue, Counter.games.rawValue)),
      ("purchase_rate", c.ratio(Counter.purchases.rawValue, Counter.rounds.rawValue)),
      ("honesty_rate", c.ratio(Counter.truthfulLow.rawValue, Counter.lowRounds.rawValue)),
      ("purchase_rate_after_positive", c.ratio(Counter.boughtAfterPositive.rawValue, Counter.positiveClaims.rawValue)),
      ("purchase_rate_after_negative", c.ratio(Counter.boughtAfterNegative.rawValue, Counter.negativeClaims.rawValue)),
      ("glee_self_gain_buyer", GLEE.clip(c.ratio(Counter.gleeBuyerGain.rawValue, Counter.games.rawValue), -1)),
    ]
  }

  public mutating func play(_ group: MatchGroup, round: Int, context: inout MatchContext) {
    let seller = Int(group[0])
    let rounds = spec.horizon
    let p = spec.qualityPrior
    let v = spec.buyerValue
    let k = levels.count
    if claimed.count != k {
      claimed = [Double](repeating: 0, count: k)
      high = claimed
    }
    for j in 0..<k {
      claimed[j] = 0
      high[j] = 0
    }
    let sm = context.motives(seller)
    let honesty = context.population.value(.honesty, of: seller)
    let patience = context.population.value(.patience, of: seller)
    var n = 0
    var bought = (high: 0, low: 0)
    var lowNotBought = 0
    let buyer = Int(group[1])
    let memory = context.memory[context.segment(buyer)]
    let learns = memory.learning == .inContext
    let myopic = spec.buyer == .myopic
    // The buyer's last message: the credibility it stated for the most positive claim (-1: none yet).
    var stated = -1.0
    // A language-model buyer's own reply (buyer messages), read by a language-model seller next round.
    var reply: String? = nil
    let buyerHonesty = min(1, max(0, context.population.value(.honesty, of: buyer)))
    for t in 0..<rounds {
      func credibility(_ j: Int) -> Double {
        guard learns else { return p }
        guard myopic else { return (memory.priorWeight * p + high[j]) / (memory.priorWeight + claimed[j]) }
        let sold = Double(bought.high + bought.low)
        return levels[j] >= 0.5
          ? (memory.priorWeight * p + Double(bought.high)) / (memory.priorWeight + sold) : levels[j]
      }
      let quality = context.uniform() < p
      let q: Double = quality ? 1 : 0
      if quality { n += 1 }
      // The seller believes the buyer's statement with its belief in the buyer's word, for the claim it is about.
      let trust = stated >= 0 ? context.belief(seller) : 0
      for j in 0..<k {
        let own = credibility(j)
        let c = j == 0 && stated >= 0 && stated != own ? trust * stated + (1 - trust) * own : own
        let sells =
          spec.sellerKnowsValue
          ? (c * v >= 1 ? 1.0 : 0)
          : Double(spec.buyerValuePrior.filter { c * $0 >= 1 }.count) / Double(spec.buyerValuePrior.count)
        let overclaim = max(0, levels[j] - q)
        let reputation = spec.buyer == .longLived ? patience * Double(rounds - t - 1) / Double(rounds) : 0
        context.utilities[j] =
          sells * sm.utility(own: 1, other: q * v - 1) + (1 - sells) * sm.utility(own: 0, other: 0)
          - honesty * abs(levels[j] - q) - reputation * overclaim
      }
      let claim = context.choose(
        seller, options: k, salient: quality ? 0 : k - 1,
        prompt: claimPrompt(round: t, high: quality, told: stated, reply: reply))
      let description = spec.descriptions ? context.message(from: seller) : nil
      let c = credibility(claim)
      let buys =
        context.choose(
          buyer, options: 2, salient: 0,
          prompt: buyPrompt(
            round: t, claim: claim, record: (claimed, high), sold: (bought.high + bought.low, bought.high),
            description: description)
        ) { bm, u in
          u[0] = c * bm.utility(own: v - 1, other: 1) + (1 - c) * bm.utility(own: -1, other: 1)
          u[1] = bm.utility(own: 0, other: 0)
        } == 0
      reply = spec.buyerMessages ? context.message(from: buyer) : nil
      claimed[claim] += 1
      high[claim] += q
      if spec.buyerMessages && !context.asksModel(buyer) {
        // What it now believes of the most positive claim; a buyer short of honesty understates it (up to half),
        // to make overclaiming look futile.
        let believed = credibility(0)
        stated = believed * (1 + buyerHonesty) / 2
      }
      let m = spec.stake
      if buys {
        context.pay(seller, m)
        context.pay(buyer, m * (q * v - 1))
        if quality { bought.high += 1 } else { bought.low += 1 }
      } else if !quality {
        lowNotBought += 1
      }
      context.log([
        .int(round + 1), .int(t + 1), .int(seller), .int(buyer), .string(quality ? "high" : "low"),
        .string(claimWords[claim]), .int(buys ? 1 : 0), .double(buys ? m : 0), .double(buys ? m * (q * v - 1) : 0),
      ])
      context.count(Counter.rounds.rawValue, for: seller)
      if buys { context.count(Counter.purchases.rawValue, for: seller) }
      if !quality {
        context.count(Counter.lowRounds.rawValue, for: seller)
        if levels[claim] < 0.5 { context.count(Counter.truthfulLow.rawValue, for: seller) }
      }
      let positive = levels[claim] >= 0.5
      context.count(positive ? Counter.positiveClaims.rawValue : Counter.negativeClaims.rawValue, for: seller)
      if buys {
        context.count(
          positive ? Counter.boughtAfterPositive.rawValue : Counter.boughtAfterNegative.rawValue, for: seller)
      }
    }
    let total = Double(rounds)
    context.count(Counter.games.rawValue, for: seller)
    if n > 0 {
      context.count(Counter.efficiency.rawValue, Double(bought.high) / Double(n), for: seller)
      context.count(Counter.efficiencyGames.rawValue, for: seller)
    }
    if n < rounds {
      context.count(Counter.fairness.rawValue, Double(lowNotBought) / Double(rounds - n), for: seller)
      context.count(Counter.fairnessGames.rawValue, for: seller)
    }
    context.count(Counter.sellerGain.rawValue, Double(bought.high + bought.low) / total, for: seller)
    context.count(
      Counter.buyerGain.rawValue, (Double(bought.high) * (v - 1) - Double(bought.low)) / total, for: seller)
    // GLEE's code charges the buyer for the low-quality products it did *not* buy.
    context.count(
      Counter.gleeBuyerGain.rawValue, (Double(bought.high) * (v - 1) - Double(lowNotBought)) / total, for: seller)
    context.record(game: [
      Double(seller), Double(buyer), Double(n), Double(bought.high + bought.low),
      n > 0 ? Double(bought.high) / Double(n) : .nan,
      n < rounds ? Double(lowNotBought) / Double(rounds - n) : .nan, Double(bought.high + bought.low) / total,
      (Double(bought.high) * (v - 1) - Double(bought.low)) / total,
      (Double(bought.high) * (v - 1) - Double(lowNotBought)) / total,
    ])
  }

  var k: Int { levels.count }

  var rules: String {
    let price = DecisionPrompt.amount(spec.stake)
    let value = DecisionPrompt.amount(spec.buyerValue * spec.stake)
    return "A seller offers a product in each of \(spec.horizon) rounds. It is of high quality with probability "
      + "\(DecisionPrompt.amount(spec.qualityPrior)). The seller sees the quality and recommends the product; the "
      + "buyer then buys at price \(price) or passes, and learns the quality. A high-quality product is worth \(value) "
      + "to the buyer, a low-quality one nothing. The seller earns \(price) per sale."
      + (spec.buyer == .myopic
        ? " Each round a new buyer arrives, who sees the seller's sales record (how many products were sold and how "
          + "many of those were of high quality) but not the earlier rounds."
        : "")
  }

  /// The seller's question; `told` is the credibility the buyer stated after the last round (-1: no message).
  func claimPrompt(round t: Int, high quality: Bool, told: Double = -1, reply: String? = nil) -> DecisionPrompt {
    var message =
      told >= 0
      ? "After the last round the buyer told you: \"I believe you about \(Int((told * 100).rounded()))% of the time "
        + "when you say it is \(claimWords[0]).\" "
      : ""
    if let reply { message += "After the last round " + DecisionPrompt.heard(reply, from: "the buyer") + ". " }
    var prompt = DecisionPrompt(
      kind: "persuasion.claim", rules: rules,
      question: "Round \(t + 1). You are the seller; this product is of \(quality ? "high" : "low") quality. "
        + message + "What do you tell the buyer?"
        + (spec.descriptions ? " Describe the product to the buyer in your message." : ""),
      options: claimWords.map { "say it is \($0)" })
    prompt.asksMessage = spec.descriptions
    return prompt
  }

  /// The buyer's question: the claim, and the long-lived buyer's record of each claim, or the myopic buyer's
  /// statistics of the seller's sales (`sold` products, `high` of them of high quality: GLEE's).
  func buyPrompt(
    round t: Int, claim: Int, record: ([Double], [Double]), sold: (all: Int, high: Int), description: String? = nil
  ) -> DecisionPrompt {
    let described = description.map { " " + DecisionPrompt.heard($0, from: "The seller") + "." } ?? ""
    var question = "Round \(t + 1). You are the buyer. The seller says the product is \(claimWords[claim])." + described
    if spec.buyer == .myopic {
      question =
        "A new potential buyer has arrived: you. The seller says the product is \(claimWords[claim]).\(described) "
        + (sold.all == 0
          ? "Statistics: no products have been sold yet."
          : "Statistics: \(sold.all) of the \(t) buyers before you bought; \(sold.high) of the products sold were of "
            + "high quality.")
    } else {
      let past = claimWords.indices.filter { record.0[$0] > 0 }.map {
        "\(Int(record.0[$0])) times it said \(claimWords[$0]) and \(Int(record.1[$0])) of those were high quality"
      }
      if !past.isEmpty { question += " So far: " + past.joined(separator: "; ") + "." }
    }
    var prompt = DecisionPrompt(kind: "persuasion.buy", rules: rules, question: question, options: ["buy", "pass"])
    prompt.asksMessage = spec.buyerMessages
    return prompt
  }
}

extension GameType {
  public static let persuasion: GameType = "persuasion"
}
