import AgoraCore

/// The linear public goods game: each of `n` group members contributes a share `c` of its endowment `E` (the stake;
/// a grid of `offer_step`); the group's contributions are multiplied so that each member earns `MPCR` per unit
/// contributed: `pi_i = E (1 - c_i + MPCR sum_j c_j)`. An optional punishment stage follows (Fehr & Gaechter 2000):
/// each member may assign each other member 0 to `punishment_max` points, each costing the punisher
/// `punishment_cost` and the punished `punishment_impact`.
///
/// A member believes the others contribute `b` on average (its belief about cooperation) and chooses `c` by the
/// utility of its own and the others' mean payoff, with the others' kindness `2b - 1` and a conformity cost
/// `|c - b|`. With the others contributing fully, a member with guilt `beta` and no other motive contributes fully
/// iff `MPCR + beta >= 1` (Fehr & Schmidt 1999).
public struct PublicGoods: MatchGame {
  public let spec: PublicGoodsParameters
  public typealias Parameters = PublicGoodsParameters
  public static var type: GameType { .publicGoods }
  /// Members per group.
  public let groupSize: Int
  let shares: [Double]
  var contributions: [Double] = []
  var earned: [Double] = []

  public init(spec: PublicGoodsParameters, groupSize: Int) {
    self.spec = spec
    self.groupSize = groupSize
    shares = spec.grid.shares
  }

  enum Counter: Int, CaseIterable {
    case members, contributed, contributedNothing, contributedAll, surplus, punishmentSpent
    case punishmentReceived, punishers
  }

  public init(spec: PublicGoodsParameters, scenario: ScenarioSpec) {
    self.init(spec: spec, groupSize: scenario.matching.size)
  }
  public static var matchings: [MatchingType] { [.groups] }
  public static func estimatedBytes(_ spec: ScenarioSpec) -> Double { Experiment.matchBytes(spec, perAgent: 160) }
  public var counterNames: [String] {
    [
      "members", "contributed", "contributed_nothing", "contributed_all", "surplus", "punishment_spent",
      "punishment_received", "punishers",
    ]
  }

  public var optionCount: Int { max(shares.count, spec.punishmentMax + 1) }

  public var headline: [String] {
    ["contribution_share", "share_contributing_nothing", "share_contributing_all"]
      + (spec.punishment ? ["punishment_spent", "share_punishing"] : [])
  }

  public var parameterColumns: [(String, Cell)] {
    var columns: [(String, Cell)] = [
      ("stake", .double(spec.stake)), ("offer_step", .double(spec.offerStep)), ("mpcr", .double(spec.mpcr)),
      ("punishment", .int(spec.punishment ? 1 : 0)),
    ]
    if spec.punishment {
      columns += [
        ("punishment_cost", .double(spec.punishmentCost)), ("punishment_impact", .double(spec.punishmentImpact)),
      ]
    }
    return columns
  }

  public static var story: [StoryChart] {
    [
      StoryChart(
        "Contributions by period",
        columns: ["contribution_share", "share_contributing_nothing", "share_contributing_all"],
        caption: "Conditional cooperators follow what they saw others give; free riders pull contributions down.")
    ]
  }

  public static let metricColumns = [
    Column("contribution_share", unit: Column.Unit.share, "mean share of the endowment members contributed"),
    Column("share_contributing_nothing", unit: Column.Unit.share, "share of contributions that were nothing"),
    Column("share_contributing_all", unit: Column.Unit.share, "share of contributions that were the whole endowment"),
    Column(
      "efficiency", unit: Column.Unit.share,
      "members' mean payoff per round (after punishment) over the most a member can earn, "
        + "stake x max(1, mpcr x group size)"),
    Column(
      "punishment_spent", unit: Column.Unit.payoff,
      "mean amount a member spent on punishment points per round (with `punishment`)"),
    Column(
      "punishment_received", unit: Column.Unit.payoff,
      "mean amount punishment points took from a member per round (with `punishment`)"),
    Column(
      "share_punishing", unit: Column.Unit.share,
      "share of members who assigned any punishment point in a round (with `punishment`)"),
  ]

  public func metrics(_ c: GameCounters) -> [(String, Double)] {
    var rows: [(String, Double)] = [
      ("contribution_share", c.ratio(Counter.contributed.rawValue, Counter.members.rawValue)),
      ("share_contributing_nothing", c.ratio(Counter.contributedNothing.rawValue, Counter.members.rawValue)),
      ("share_contributing_all", c.ratio(Counter.contributedAll.rawValue, Counter.members.rawValue)),
      (
        "efficiency",
        c.ratio(Counter.surplus.rawValue, Counter.members.rawValue) / max(1, spec.mpcr * Double(groupSize))
      ),
    ]
    if spec.punishment {
      rows += [
        ("punishment_spent", c.ratio(Counter.punishmentSpent.rawValue, Counter.members.rawValue)),
        ("punishment_received", c.ratio(Counter.punishmentReceived.rawValue, Counter.members.rawValue)),
        ("share_punishing", c.ratio(Counter.punishers.rawValue, Counter.members.rawValue)),
      ]
    }
    return rows
  }

  public mutating func play(_ group: MatchGroup, round: Int, context: inout MatchContext) {
    let n = group.count
    let mpcr = spec.mpcr
    let k = shares.count
    if contributions.count < n {
      contributions = [Double](repeating: 0, count: n)
      earned = contributions
    }
    for (slot, agent) in group.enumerated() {
      let i = Int(agent)
      let m = context.motives(i)
      let b = context.belief(i)
      let others = Double(n - 1) * b
      for option in 0..<k {
        let c = shares[option]
        let own = 1 - c + mpcr * (c + others)
        let other = 1 - b + mpcr * (c + others)
        context.utilities[option] = m.utility(own: own, other: other, kindness: 2 * b - 1) - m.conformity * abs(c - b)
      }
      contributions[slot] = shares[context.choose(i, options: k, salient: k - 1, prompt: contributePrompt(size: n))]
    }
    let sum = contributions[0..<n].reduce(0, +)
    for slot in 0..<n { earned[slot] = 1 - contributions[slot] + mpcr * sum }
    if spec.punishment { punish(group, context: &context) }
    let stake = spec.stake
    for (slot, agent) in group.enumerated() {
      let i = Int(agent)
      let c = contributions[slot]
      context.pay(i, stake * earned[slot])
      context.observe(i, n > 1 ? (sum - c) / Double(n - 1) : c)
      context.count(Counter.members.rawValue, for: i)
      context.count(Counter.contributed.rawValue, c, for: i)
      if c == 0 { context.count(Counter.contributedNothing.rawValue, for: i) }
      if c == 1 { context.count(Counter.contributedAll.rawValue, for: i) }
    }
    for slot in 0..<n { context.count(Counter.surplus.rawValue, earned[slot], for: Int(group[slot])) }
  }

  /// The punishment stage: every member decides, for every other member, how many points to assign, seeing the
  /// contributions and payoffs of the contribution stage; the target's kindness is its contribution relative to
  /// the group's mean.
  mutating func punish(_ group: MatchGroup, context: inout MatchContext) {
    let n = group.count
    let stake = spec.stake
    let cost = spec.punishmentCost / stake
    let impact = spec.punishmentImpact / stake
    let points = spec.punishmentMax
    let mean = contributions[0..<n].reduce(0, +) / Double(n)
    let before = Array(earned[0..<n])
    for (slot, agent) in group.enumerated() {
      let i = Int(agent)
      let m = context.motives(i)
      var spent = 0.0
      for target in 0..<n where target != slot {
        let kindness = max(-1, min(1, 2 * (contributions[target] - mean)))
        for p in 0...points {
          let x = Double(p)
          context.utilities[p] = m.utility(
            own: before[slot] - x * cost, other: before[target] - x * impact, kindness: kindness)
        }
        let chosen = Double(
          context.choose(
            i, options: points + 1, salient: 0,
            prompt: punishPrompt(
              contribution: contributions[target] * stake, mean: mean * stake, points: points)))
        earned[slot] -= chosen * cost
        earned[target] -= chosen * impact
        spent += chosen * cost
        context.count(Counter.punishmentReceived.rawValue, chosen * impact * stake, for: Int(group[target]))
      }
      context.count(Counter.punishmentSpent.rawValue, spent * stake, for: i)
      if spent > 0 { context.count(Counter.punishers.rawValue, for: i) }
    }
  }

  func rules(size n: Int) -> String {
    let stake = DecisionPrompt.amount(spec.stake)
    var text =
      "You are in a group of \(n). Each member has \(stake) points and contributes any part of them to a "
      + "common pot; the pot is multiplied so that every member gets \(DecisionPrompt.amount(spec.mpcr)) points for each "
      + "point in it, whoever contributed it. What you keep is yours."
    if spec.punishment {
      text +=
        " Afterwards each member may assign punishment points to each other member: each point costs the "
        + "punisher \(DecisionPrompt.amount(spec.punishmentCost)) and the punished "
        + "\(DecisionPrompt.amount(spec.punishmentImpact))."
    }
    return text
  }

  func contributePrompt(size n: Int) -> DecisionPrompt {
    DecisionPrompt(
      kind: "public_goods.contribute", rules: rules(size: n), question: "How much do you contribute?",
      options: shares.map { "contribute \(DecisionPrompt.amount($0 * spec.stake))" })
  }

  func punishPrompt(contribution: Double, mean: Double, points: Int) -> DecisionPrompt {
    DecisionPrompt(
      kind: "public_goods.punish", rules: rules(size: 0).replacingOccurrences(of: "a group of 0", with: "a group"),
      question: "A member contributed \(DecisionPrompt.amount(contribution)); the group's mean contribution was "
        + "\(DecisionPrompt.amount(mean)). How many punishment points do you assign to this member?",
      options: (0...points).map { "\($0) points" })
  }
}

extension GameType {
  public static let publicGoods: GameType = "public_goods"
}
