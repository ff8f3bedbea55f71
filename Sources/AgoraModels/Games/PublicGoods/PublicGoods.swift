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
  /// The punishment points each member of the group being played assigned and received (its events' columns).
  var given: [Int] = []
  var received: [Int] = []
  /// Under the strategy method: the schedule being stated, and each agent's last schedule's slope (NaN: none).
  var schedule: [Double] = []
  var slopes: [Double] = []
  /// Each agent's last contribution, a share of the endowment (NaN: none yet); kept only when `output.agent_steps`
  /// asks for `contribution` (empty otherwise).
  var lastContributions: [Double] = []

  /// `agent_steps.csv` may hold each agent's last contribution.
  public static let agentStepColumns = [
    Column(
      "contribution", unit: Column.Unit.share,
      "the agent's last contribution, as a share of its endowment; empty before its first")
  ]

  public mutating func keepAgentStepValues(_ names: [String], agents: Int) {
    if names.contains("contribution") { lastContributions = [Double](repeating: .nan, count: agents) }
  }

  public func agentStepValues(_ name: String, context: MatchContext) -> [Cell] {
    let n = context.population.count
    guard name == "contribution", lastContributions.count == n else {
      return [Cell](repeating: .double(.nan), count: n)
    }
    return lastContributions.map { .double($0) }
  }

  public init(spec: PublicGoodsParameters, groupSize: Int) {
    self.spec = spec
    self.groupSize = groupSize
    shares = spec.grid.shares
  }

  enum Counter: Int, CaseIterable {
    case members, contributed, contributedNothing, contributedAll, surplus, punishmentSpent
    case punishmentReceived, punishers
    /// Strategy method: schedules stated, the sum of their slopes, free riders, conditional cooperators; the sums of
    /// the schedules' entries follow, one counter per grid point.
    case schedules, scheduleSlope, freeRiders, conditionalCooperators
    case scheduleEntries
  }

  public init(spec: PublicGoodsParameters, scenario: ScenarioSpec) {
    self.init(spec: spec, groupSize: scenario.matching.size)
  }
  public static var matchings: [MatchingType] { [.groups] }
  public static func estimatedBytes(_ spec: ScenarioSpec) -> Double { Experiment.matchBytes(spec, perAgent: 160) }
  public var counterNames: [String] {
    [
      "members", "contributed", "contributed_nothing", "contributed_all", "surplus", "punishment_spent",
      "punishment_received", "punishers", "schedules", "schedule_slope", "free_riders", "conditional_cooperators",
    ] + (spec.strategyMethod ? shares.map { "schedule_\(Self.percent($0))" } : [])
  }

  /// A share of the endowment in whole percent (the `{n}` of `conditional_contribution_{n}`).
  static func percent(_ share: Double) -> Int { Int((share * 100).rounded()) }

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
    Column(
      "mean_schedule_slope",
      "mean least-squares slope of the stated conditional contributions on the others' average contribution "
        + "(with `strategy_method`; 1 = perfect conditional cooperation)"),
    Column(
      "share_free_riders", unit: Column.Unit.share,
      "share of stated schedules that contribute nothing whatever the others do (with `strategy_method`)"),
    Column(
      "share_conditional_cooperators", unit: Column.Unit.share,
      "share of stated schedules that rise with the others' contribution: positive slope and a correlation of at least "
        + "0.5 (with `strategy_method`; Fischbacher, Gaechter & Fehr's 2001 classification asks a significant "
        + "Spearman correlation)"),
    Column(
      "conditional_contribution_{n}", unit: Column.Unit.share,
      "mean stated contribution (share of the endowment) when the others contribute n% of theirs on average (with "
        + "`strategy_method`; one column per grid point)"),
    Column(
      "schedule_slope",
      "the slope of the agent's last stated conditional-contribution schedule (agents.csv, with `strategy_method`)"),
  ]

  /// One row per member per round in `events.csv` (`output.events`), in the stake's units.
  public static let eventColumns = [
    Column("round", .integer, unit: Column.Unit.rounds, "the round, from 1"),
    Column("group", .integer, "the group's number in the round, from 0 (the same group every round with `partner`)"),
    Column("agent", .integer, "the member's agent id"),
    Column("contribution", unit: Column.Unit.payoff, "the amount the member contributed, of its endowment `stake`"),
    Column(
      "payoff", unit: Column.Unit.payoff,
      "the member's payoff in the round: what it kept, its share of the multiplied pot, less punishment"),
    Column(
      "points_given", .integer, unit: Column.Unit.count,
      "punishment points the member assigned to the others (0 without `punishment`)"),
    Column(
      "points_received", .integer, unit: Column.Unit.count,
      "punishment points the others assigned to the member (0 without `punishment`)"),
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
    if spec.strategyMethod {
      let stated = Counter.schedules.rawValue
      rows += [
        ("mean_schedule_slope", c.ratio(Counter.scheduleSlope.rawValue, stated)),
        ("share_free_riders", c.ratio(Counter.freeRiders.rawValue, stated)),
        ("share_conditional_cooperators", c.ratio(Counter.conditionalCooperators.rawValue, stated)),
      ]
      for (a, share) in shares.enumerated() {
        rows.append(
          ("conditional_contribution_\(Self.percent(share))", c.ratio(Counter.scheduleEntries.rawValue + a, stated)))
      }
    }
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
      given = [Int](repeating: 0, count: n)
      received = given
    }
    for (slot, agent) in group.enumerated() {
      let i = Int(agent)
      let b = context.belief(i)
      if spec.strategyMethod {
        contributions[slot] = stateSchedule(i, belief: b, size: n, context: &context)
        continue
      }
      contributions[slot] =
        shares[
          context.chooseAmount(i, options: k, salient: k - 1, prompt: contributePrompt(size: n)) { m, u in
            contributionUtilities(m, belief: b, size: n, into: &u)
          }]
    }
    let sum = contributions[0..<n].reduce(0, +)
    for slot in 0..<n { earned[slot] = 1 - contributions[slot] + mpcr * sum }
    if spec.punishment { punish(group, context: &context) }
    let stake = spec.stake
    for (slot, agent) in group.enumerated() {
      let i = Int(agent)
      let c = contributions[slot]
      if !lastContributions.isEmpty { lastContributions[i] = c }
      context.pay(i, stake * earned[slot])
      context.observe(i, n > 1 ? (sum - c) / Double(n - 1) : c)
      context.count(Counter.members.rawValue, for: i)
      context.count(Counter.contributed.rawValue, c, for: i)
      if c == 0 { context.count(Counter.contributedNothing.rawValue, for: i) }
      if c == 1 { context.count(Counter.contributedAll.rawValue, for: i) }
      context.log([
        .int(round + 1), .int(group.index), .int(i), .double(c * stake), .double(stake * earned[slot]),
        .int(given[slot]), .int(received[slot]),
      ])
    }
    for slot in 0..<n { context.count(Counter.surplus.rawValue, earned[slot], for: Int(group[slot])) }
  }

  /// A member's utility of each contribution (into `u`) when it believes the other `n - 1` members contribute `b`
  /// on average: its own and the others' mean payoff, the others' kindness `2b - 1`, and a conformity cost
  /// `|c - b|`.
  func contributionUtilities(_ m: Motives, belief b: Double, size n: Int, into u: inout [Double]) {
    let mpcr = spec.mpcr
    let others = Double(n - 1) * b
    for option in shares.indices {
      let c = shares[option]
      let own = 1 - c + mpcr * (c + others)
      let other = 1 - b + mpcr * (c + others)
      u[option] = m.utility(own: own, other: other, kindness: 2 * b - 1) - m.conformity * abs(c - b)
    }
  }

  /// The strategy method: member `i` states its contribution for every average contribution of the others on the
  /// grid (each a decision as if it believed that average), counts the schedule, and returns the entry at the grid
  /// point nearest its belief `b`.
  mutating func stateSchedule(_ i: Int, belief b: Double, size n: Int, context: inout MatchContext) -> Double {
    let k = shares.count
    if schedule.count < k { schedule = [Double](repeating: 0, count: k) }
    if slopes.count < context.population.count {
      slopes = [Double](repeating: .nan, count: context.population.count)
    }
    for a in 0..<k {
      let others = shares[a]
      schedule[a] =
        shares[
          context.chooseAmount(i, options: k, salient: k - 1, prompt: schedulePrompt(size: n, others: others)) {
            m, u in contributionUtilities(m, belief: others, size: n, into: &u)
          }]
      context.count(Counter.scheduleEntries.rawValue + a, schedule[a], for: i)
    }
    // Least squares of the schedule on the others' average, and the correlation.
    let meanX = shares.reduce(0, +) / Double(k)
    let meanY = schedule[0..<k].reduce(0, +) / Double(k)
    var sxy = 0.0
    var sxx = 0.0
    var syy = 0.0
    for a in 0..<k {
      let (dx, dy) = (shares[a] - meanX, schedule[a] - meanY)
      sxy += dx * dy
      sxx += dx * dx
      syy += dy * dy
    }
    let slope = sxx > 0 ? sxy / sxx : 0
    slopes[i] = slope
    context.count(Counter.schedules.rawValue, for: i)
    context.count(Counter.scheduleSlope.rawValue, slope, for: i)
    if schedule[0..<k].allSatisfy({ $0 == 0 }) { context.count(Counter.freeRiders.rawValue, for: i) }
    if slope > 0 && syy > 0 && sxy / (sxx * syy).squareRoot() >= 0.5 {
      context.count(Counter.conditionalCooperators.rawValue, for: i)
    }
    return schedule[min(k - 1, Int((b * Double(k - 1)).rounded()))]
  }

  public func agentValues(_ population: Population) -> [(column: Column, values: [Double])] {
    guard spec.strategyMethod else { return [] }
    let column = Self.metricColumns.first { $0.name == "schedule_slope" }!
    return [(column, slopes.count == population.count ? slopes : [Double](repeating: .nan, count: population.count))]
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
    for slot in 0..<n { (given[slot], received[slot]) = (0, 0) }
    for (slot, agent) in group.enumerated() {
      let i = Int(agent)
      var spent = 0.0
      for target in 0..<n where target != slot {
        let kindness = max(-1, min(1, 2 * (contributions[target] - mean)))
        let (mine, theirs) = (before[slot], before[target])
        let chosen = Double(
          context.choose(
            i, options: points + 1, salient: 0,
            prompt: punishPrompt(contribution: contributions[target] * stake, mean: mean * stake, points: points)
          ) { m, u in
            for p in 0...points {
              let x = Double(p)
              u[p] = m.utility(own: mine - x * cost, other: theirs - x * impact, kindness: kindness)
            }
          })
        earned[slot] -= chosen * cost
        earned[target] -= chosen * impact
        given[slot] += Int(chosen)
        received[target] += Int(chosen)
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

  func schedulePrompt(size n: Int, others: Double) -> DecisionPrompt {
    DecisionPrompt(
      kind: "public_goods.conditional_contribution", rules: rules(size: n),
      question: "Suppose the other members contribute \(DecisionPrompt.amount(others * spec.stake)) on average. How "
        + "much do you contribute?",
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
