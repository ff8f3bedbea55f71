import AgoraCore

/// The trust (investment) game of Berg, Dickhaut & McCabe (1995): the investor sends a share `s` of its endowment
/// `E` (the stake; a grid of `offer_step`), the amount is multiplied by `m`, and the trustee returns a share `r` of
/// what it holds. Payoffs: investor `E (1 - s + r m s)`, trustee `E (1 - r) m s`.
///
/// The trustee chooses `r` on the same grid, with the investor's kindness `s`. The investor believes with
/// probability `q` (its belief about cooperation) that the trustee returns half of what it holds, else nothing,
/// and chooses `s` by expected utility. A trustee with guilt `beta` and no other motive returns nothing if
/// `beta < 1/2` and equalises payoffs if `beta > 1/2` (Fehr & Schmidt 1999).
public struct Trust: MatchGame {
  public let spec: TrustParameters
  public typealias Parameters = TrustParameters
  public static var type: GameType { .trust }
  let shares: [Double]

  public init(spec: TrustParameters) {
    self.spec = spec
    shares = spec.grid.shares
  }

  enum Counter: Int, CaseIterable {
    case interactions, sent, sentNothing, returned, returns, surplus
  }

  public init(spec: TrustParameters, scenario: ScenarioSpec) { self.init(spec: spec) }
  public var roles: RoleAssignment { spec.roles }
  public static var matchings: [MatchingType] { [.randomPairs, .fixedPairs, .network] }
  public static func estimatedBytes(_ spec: ScenarioSpec) -> Double { Experiment.matchBytes(spec, perAgent: 136) }
  public static var logsEvents: Bool { true }
  public var counterNames: [String] {
    ["interactions", "sent", "sent_nothing", "returned", "returns", "surplus"]
  }

  public var optionCount: Int { shares.count }

  public var headline: [String] { ["share_sent", "share_returned", "share_sending_nothing"] }

  public var parameterColumns: [(String, Cell)] {
    [("stake", .double(spec.stake)), ("offer_step", .double(spec.offerStep)), ("multiplier", .double(spec.multiplier))]
  }

  public static var story: [StoryChart] {
    [
      StoryChart(
        "Trust and trustworthiness, round by round", columns: ["share_sent", "share_returned"],
        caption: "Investors send what they expect to see returned; trustees return what their motives make them.")
    ]
  }

  public static let metricColumns = [
    Column("share_sent", unit: Column.Unit.share, "mean share of the endowment investors sent"),
    Column("share_returned", unit: Column.Unit.share, "mean share of what they held that trustees returned"),
    Column("share_sending_nothing", unit: Column.Unit.share, "share of investors who sent nothing"),
    Column(
      "efficiency", unit: Column.Unit.share,
      "a match's total payoff over the most it can be (all sent and multiplied): 1/multiplier when nothing is sent"),
  ]

  public func metrics(_ c: GameCounters) -> [(String, Double)] {
    [
      ("share_sent", c.ratio(Counter.sent.rawValue, Counter.interactions.rawValue)),
      ("share_returned", c.ratio(Counter.returned.rawValue, Counter.returns.rawValue)),
      ("share_sending_nothing", c.ratio(Counter.sentNothing.rawValue, Counter.interactions.rawValue)),
      ("efficiency", c.ratio(Counter.surplus.rawValue, Counter.interactions.rawValue) / max(spec.multiplier, 1)),
    ]
  }

  public mutating func play(_ group: MatchGroup, round: Int, context: inout MatchContext) {
    let investor = Int(group[0])
    let trustee = Int(group[1])
    let m = spec.multiplier
    let k = shares.count
    let salient = (k - 1) / 2
    let q = context.belief(investor)
    let shares = self.shares
    let invested = context.chooseAmount(investor, options: k, salient: salient, prompt: investPrompt) { motives, u in
      for option in 0..<k {
        let s = shares[option]
        let kept = 1 - s
        u[option] =
          q * motives.utility(own: kept + 0.5 * m * s, other: 0.5 * m * s)
          + (1 - q) * motives.utility(own: kept, other: m * s)
      }
    }
    let s = shares[invested]
    var r = 0.0
    if s > 0 {
      let held = m * s
      let returned = context.chooseAmount(trustee, options: k, salient: salient, prompt: returnPrompt(sent: s)) {
        motives, u in
        for option in 0..<k {
          let back = shares[option] * held
          u[option] = motives.utility(own: held - back, other: 1 - s + back, kindness: s)
        }
      }
      r = shares[returned]
      context.observe(investor, min(1, r / 0.5))
      context.count(Counter.returned.rawValue, r, for: trustee, against: investor)
      context.count(Counter.returns.rawValue, for: trustee, against: investor)
    }
    let stake = spec.stake
    context.pay(investor, stake * (1 - s + r * m * s))
    context.pay(trustee, stake * (1 - r) * m * s)
    // Logged: the amount sent; "accepted" when the trustee returned something.
    context.log(
      proposer: investor, responder: trustee, offer: stake * s, accepted: r > 0,
      proposerPayoff: stake * (1 - s + r * m * s), responderPayoff: stake * (1 - r) * m * s)
    context.count(Counter.interactions.rawValue, for: investor, against: trustee)
    context.count(Counter.sent.rawValue, s, for: investor, against: trustee)
    if s == 0 { context.count(Counter.sentNothing.rawValue, for: investor, against: trustee) }
    context.count(Counter.surplus.rawValue, 1 + (m - 1) * s, for: investor, against: trustee)
  }

  var rules: String {
    let stake = DecisionPrompt.amount(spec.stake)
    return "You play a trust game with another person. The investor has \(stake) points and sends some of them to "
      + "the trustee; what is sent is multiplied by \(DecisionPrompt.amount(spec.multiplier)). The trustee then "
      + "returns any part of what it holds. Each keeps what they end with."
  }

  var investPrompt: DecisionPrompt {
    let stake = spec.stake
    return DecisionPrompt(
      kind: "trust.invest", rules: rules, question: "You are the investor. How much do you send?",
      options: shares.map {
        "send \(DecisionPrompt.amount($0 * stake)) (the trustee gets \(DecisionPrompt.amount($0 * stake * spec.multiplier)))"
      })
  }

  func returnPrompt(sent s: Double) -> DecisionPrompt {
    let held = spec.multiplier * s * spec.stake
    return DecisionPrompt(
      kind: "trust.return", rules: rules,
      question: "You are the trustee. The investor sent \(DecisionPrompt.amount(s * spec.stake)), so you hold "
        + "\(DecisionPrompt.amount(held)). How much do you return?",
      options: shares.map { "return \(DecisionPrompt.amount($0 * held))" })
  }
}

extension GameType {
  public static let trust: GameType = "trust"
}
