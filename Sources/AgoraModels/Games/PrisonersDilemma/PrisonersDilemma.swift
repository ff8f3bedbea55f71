import AgoraCore

/// The prisoner's dilemma, one-shot or repeated: each stage both players cooperate or defect, with stage payoffs
/// T > R > P > S; a match lasts `horizon` stages or, with `continuation` > 0, goes on after each stage with that
/// probability. With `noise` e, each chosen move is flipped with probability e.
///
/// An LLM-style player believes its partner cooperates with probability `p` (its belief, updated by every move it
/// sees) and chooses by expected utility (``moveUtilities(_:belief:)``). Reciprocity takes the standard form (Rabin
/// 1993; Falk & Fischbacher 2006): the partner is kind (+1) in the outcomes where it cooperates and unkind (-1) where
/// it defects, and that kindness weights the partner's payoff, so a reciprocal player rewards expected cooperation
/// and punishes expected defection. Segments may instead play fixed strategies (``Policy``).
public struct PrisonersDilemma: MatchGame {
  public let spec: PrisonersDilemmaParameters
  public typealias Parameters = PrisonersDilemmaParameters
  public static var type: GameType { .prisonersDilemma }
  /// Stages whose cooperation rate gets its own column.
  public static let stageColumns = 20

  /// Each agent's moves and cooperations so far (after noise), kept only when `output.agent_steps` asks for
  /// `cooperation` (empty otherwise).
  var agentMoves: [Int32] = []
  var agentCooperations: [Int32] = []

  public init(spec: PrisonersDilemmaParameters) { self.spec = spec }

  /// `agent_steps.csv` may hold each agent's share of cooperative moves so far.
  public static let agentStepColumns = [
    Column(
      "cooperation", unit: Column.Unit.share,
      "share of the agent's moves so far (after noise) that cooperated; empty before its first move")
  ]

  public mutating func keepAgentStepValues(_ names: [String], agents: Int) {
    guard names.contains("cooperation") else { return }
    agentMoves = [Int32](repeating: 0, count: agents)
    agentCooperations = agentMoves
  }

  public func agentStepValues(_ name: String, context: MatchContext) -> [Cell] {
    let n = context.population.count
    guard name == "cooperation", agentMoves.count == n else { return [Cell](repeating: .double(.nan), count: n) }
    return (0..<n).map {
      .double(agentMoves[$0] > 0 ? Double(agentCooperations[$0]) / Double(agentMoves[$0]) : .nan)
    }
  }

  /// Counts `agent`'s move for its `cooperation` (only when kept).
  mutating func tally(_ agent: Int, cooperated: Bool) {
    guard !agentMoves.isEmpty else { return }
    agentMoves[agent] += 1
    if cooperated { agentCooperations[agent] += 1 }
  }

  enum Counter: Int {
    case moves, cooperations, stages, mutualCooperation, firstMoves, firstCooperations, payoff, matches
    case stageMoves = 8
  }

  /// The counters of moves made after the partner's first defection in the match, and of cooperations among them
  /// (after the per-stage counters).
  var afterDefection: Int { Counter.stageMoves.rawValue + 2 * stageColumns }

  var stageColumns: Int { spec.continuation > 0 ? PrisonersDilemma.stageColumns : min(spec.horizon, Self.stageColumns) }

  public init(spec: PrisonersDilemmaParameters, scenario: ScenarioSpec) { self.init(spec: spec) }
  public static var matchings: [MatchingType] { [.randomPairs, .fixedPairs, .roundRobin, .network] }
  public static var strategies: [String] { Strategy.allCases.map(\.rawValue) }
  public static func estimatedBytes(_ spec: ScenarioSpec) -> Double { Experiment.matchBytes(spec, perAgent: 152) }
  /// Stages per match: the horizon, or the expected length of a match that goes on with probability `continuation`.
  public static func eventsPerAgentRound(_ spec: ScenarioSpec) -> Double {
    let p = parameters(spec)
    return p.continuation > 0 ? min(100_000, 1 / (1 - p.continuation)) : Double(p.horizon)
  }
  public var counterNames: [String] {
    var names = [
      "moves", "cooperations", "stages", "mutual_cooperation", "first_moves", "first_cooperations", "payoff", "matches",
    ]
    for t in 1...stageColumns { names += ["moves_stage_\(t)", "cooperations_stage_\(t)"] }
    return names + ["moves_after_partner_defected", "cooperations_after_partner_defected"]
  }

  public var headline: [String] { ["cooperation_rate", "first_stage_cooperation_rate", "mutual_cooperation_rate"] }

  public var pairMetrics: [String] { ["cooperation_rate", "mean_stage_payoff", "cooperation_after_partner_defection"] }

  public var parameterColumns: [(String, Cell)] {
    let x = spec.payoffs
    return [
      ("payoff_t", .double(x.t)), ("payoff_r", .double(x.r)), ("payoff_p", .double(x.p)), ("payoff_s", .double(x.s)),
      ("horizon", .int(spec.horizon)), ("continuation", .double(spec.continuation)), ("noise", .double(spec.noise)),
    ]
  }

  public static var story: [StoryChart] {
    [
      StoryChart(
        "Cooperation, round by round", columns: ["cooperation_rate", "mutual_cooperation_rate"],
        caption: "Reciprocal players cooperate as long as they expect their partners to.")
    ]
  }

  public static let metricColumns = [
    Column("payoff_t", unit: Column.Unit.payoff, "the temptation payoff T: defecting against a cooperator"),
    Column("payoff_r", unit: Column.Unit.payoff, "the reward payoff R: mutual cooperation"),
    Column("payoff_p", unit: Column.Unit.payoff, "the punishment payoff P: mutual defection"),
    Column("payoff_s", unit: Column.Unit.payoff, "the sucker's payoff S: cooperating against a defector"),
    Column("cooperation_rate", unit: Column.Unit.share, "share of moves (after noise) that cooperated"),
    Column(
      "first_stage_cooperation_rate", unit: Column.Unit.share,
      "share of moves in a match's first stage (after noise) that cooperated"),
    Column("mutual_cooperation_rate", unit: Column.Unit.share, "share of stages in which both players cooperated"),
    Column(
      "cooperation_after_partner_defection", unit: Column.Unit.share,
      "share of moves that cooperated among those made after the partner's first defection in the match (empty "
        + "when no partner defected)"),
    Column("mean_stage_payoff", unit: Column.Unit.payoff, "mean payoff per move (one player's payoff in one stage)"),
    Column("stages_per_match", unit: "stages", "mean stages per match"),
    Column("efficiency", "mean payoff per move over R (1 = mutual cooperation throughout)"),
    Column(
      "cooperation_rate_stage_{n}", unit: Column.Unit.share,
      "share of moves in stage {n} of a match (after noise) that cooperated (stages 1 to 20, when matches last "
        + "more than one stage)"),
  ]

  /// One row per player per stage in `events.csv` (`output.events`): the pair names each other.
  public static let eventColumns = [
    Column("round", .integer, unit: Column.Unit.rounds, "the round in which the match was played, from 1"),
    Column("stage", .integer, unit: "stages", "the stage of the match, from 1"),
    Column("agent", .integer, "the player's agent id"),
    Column("partner", .integer, "the partner's agent id"),
    Column("move", .string, "the player's move after noise: `cooperate` or `defect`"),
    Column("partner_move", .string, "the partner's move after noise: `cooperate` or `defect`"),
    Column("flipped", .integer, "1 if noise flipped the move the player chose, else 0"),
    Column("payoff", unit: Column.Unit.payoff, "the player's payoff in the stage"),
  ]

  public func metrics(_ c: GameCounters) -> [(String, Double)] {
    var rows: [(String, Double)] = [
      ("cooperation_rate", c.ratio(Counter.cooperations.rawValue, Counter.moves.rawValue)),
      ("first_stage_cooperation_rate", c.ratio(Counter.firstCooperations.rawValue, Counter.firstMoves.rawValue)),
      ("mutual_cooperation_rate", c.ratio(Counter.mutualCooperation.rawValue, Counter.stages.rawValue)),
      ("cooperation_after_partner_defection", c.ratio(afterDefection + 1, afterDefection)),
      ("mean_stage_payoff", c.ratio(Counter.payoff.rawValue, Counter.moves.rawValue)),
      ("stages_per_match", c.ratio(Counter.stages.rawValue, Counter.matches.rawValue)),
      (
        "efficiency",
        c.values[Counter.moves.rawValue] > 0
          ? c.ratio(Counter.payoff.rawValue, Counter.moves.rawValue) / spec.payoffs.r : .nan
      ),
    ]
    if stageColumns > 1 {
      for t in 0..<stageColumns {
        let base = Counter.stageMoves.rawValue + 2 * t
        rows.append(("cooperation_rate_stage_\(t + 1)", c.ratio(base + 1, base)))
      }
    }
    return rows
  }

  /// One player's state within a match.
  struct Player {
    var agent: Int
    var lastMove = true
    var partnerLast = true
    var partnerEverDefected = false
    var lastPayoff = 0.0
  }

  public mutating func play(_ group: MatchGroup, round: Int, context: inout MatchContext) {
    var a = Player(agent: Int(group[0]))
    var b = Player(agent: Int(group[1]))
    let payoffs = spec.payoffs
    var stage = 0
    while true {
      var moveA = decide(a, stage: stage, context: &context)
      var moveB = decide(b, stage: stage, context: &context)
      var flipped = (a: false, b: false)
      if spec.noise > 0 {
        if context.uniform() < spec.noise { (moveA, flipped.a) = (!moveA, true) }
        if context.uniform() < spec.noise { (moveB, flipped.b) = (!moveB, true) }
      }
      let pa = payoffs.payoff(moveA, moveB)
      let pb = payoffs.payoff(moveB, moveA)
      context.pay(a.agent, pa)
      context.pay(b.agent, pb)
      context.log([
        .int(round + 1), .int(stage + 1), .int(a.agent), .int(b.agent), Self.move(moveA), Self.move(moveB),
        .int(flipped.a ? 1 : 0), .double(pa),
      ])
      context.log([
        .int(round + 1), .int(stage + 1), .int(b.agent), .int(a.agent), Self.move(moveB), Self.move(moveA),
        .int(flipped.b ? 1 : 0), .double(pb),
      ])
      record(a.agent, b.agent, moveA, pa, stage: stage, afterDefection: a.partnerEverDefected, context: &context)
      record(b.agent, a.agent, moveB, pb, stage: stage, afterDefection: b.partnerEverDefected, context: &context)
      tally(a.agent, cooperated: moveA)
      tally(b.agent, cooperated: moveB)
      let mutual = moveA && moveB
      countStage(a.agent, b.agent, mutual: mutual, context: &context)
      countStage(b.agent, a.agent, mutual: mutual, context: &context)
      context.observe(a.agent, moveB ? 1 : 0)
      context.observe(b.agent, moveA ? 1 : 0)
      a.update(move: moveA, partner: moveB, payoff: pa)
      b.update(move: moveB, partner: moveA, payoff: pb)
      stage += 1
      if spec.continuation > 0 {
        if stage >= 100_000 || context.uniform() >= spec.continuation { break }
      } else if stage >= spec.horizon {
        break
      }
    }
    context.count(Counter.matches.rawValue, 0.5, for: a.agent, against: b.agent)
    context.count(Counter.matches.rawValue, 0.5, for: b.agent, against: a.agent)
  }

  /// A move's cell in `events.csv`.
  static func move(_ cooperates: Bool) -> Cell { .string(cooperates ? "cooperate" : "defect") }

  /// Half a stage (and half a mutual cooperation) to each side, so per-segment and per-pair rates are defined.
  func countStage(_ agent: Int, _ opponent: Int, mutual: Bool, context: inout MatchContext) {
    context.count(Counter.stages.rawValue, 0.5, for: agent, against: opponent)
    if mutual { context.count(Counter.mutualCooperation.rawValue, 0.5, for: agent, against: opponent) }
  }

  /// Counts a move; `afterDefection` says whether the partner had defected earlier in the match.
  func record(
    _ agent: Int, _ opponent: Int, _ move: Bool, _ payoff: Double, stage: Int, afterDefection: Bool,
    context: inout MatchContext
  ) {
    context.count(Counter.moves.rawValue, for: agent, against: opponent)
    context.count(Counter.payoff.rawValue, payoff, for: agent, against: opponent)
    if move { context.count(Counter.cooperations.rawValue, for: agent, against: opponent) }
    if stage == 0 {
      context.count(Counter.firstMoves.rawValue, for: agent, against: opponent)
      if move { context.count(Counter.firstCooperations.rawValue, for: agent, against: opponent) }
    }
    if stage < stageColumns {
      let base = Counter.stageMoves.rawValue + 2 * stage
      context.count(base, for: agent, against: opponent)
      if move { context.count(base + 1, for: agent, against: opponent) }
    }
    if afterDefection {
      context.count(self.afterDefection, for: agent, against: opponent)
      if move { context.count(self.afterDefection + 1, for: agent, against: opponent) }
    }
  }

  /// A player's move (true = cooperate) before noise.
  func decide(_ me: Player, stage: Int, context: inout MatchContext) -> Bool {
    guard let k = context.strategy(me.agent) else {
      let belief = context.belief(me.agent)
      return context.choose(me.agent, options: 2, salient: 0, prompt: movePrompt(me, stage: stage)) { m, u in
        (u[0], u[1]) = moveUtilities(m, belief: belief)
      } == 0
    }
    switch Strategy.allCases[k] {
    case .alwaysCooperate: return true
    case .alwaysDefect: return false
    case .titForTat: return stage == 0 || me.partnerLast
    case .grim: return !me.partnerEverDefected
    case .winStayLoseShift:
      guard stage > 0 else { return true }
      let won = me.lastPayoff >= spec.payoffs.r
      return won ? me.lastMove : !me.lastMove
    case .random: return context.uniform() < 0.5
    case .defectOnce: return stage != 0
    case .alternate: return stage % 2 == 0
    case .cooperateOnce: return stage == 0
    case .defectTwice: return stage != 1 && stage != 2
    }
  }

  /// The expected utilities of cooperating and of defecting for a player with motives `m` who believes that its
  /// partner cooperates with probability `p` (payoffs in units of T). The partner's kindness is +1 in the outcomes
  /// where it cooperates (R, R and T, S) and -1 where it defects (S, T and P, P): its expected kindness is `2p - 1`,
  /// from the belief alone, so before the partner's first move it comes from the prior and afterwards from the moves
  /// seen. Reciprocity thus adds `rho (R - S)` to cooperating against a cooperator and `rho (T - P)` to defecting
  /// against a defector. For a risk-neutral player without altruism, U(C) - U(D) is linear in `p` and rises with it
  /// whenever `rho > (T + S - R - P) / (T + R - S - P)` (1/7 at the default payoffs; envy and guilt only steepen it).
  func moveUtilities(_ m: Motives, belief p: Double) -> (cooperate: Double, defect: Double) {
    let x = spec.payoffs
    let scale = x.t
    func u(_ own: Double, _ other: Double, partnerCooperates: Bool) -> Double {
      m.utility(own: own / scale, other: other / scale, kindness: partnerCooperates ? 1 : -1)
    }
    let cooperate = p * u(x.r, x.r, partnerCooperates: true) + (1 - p) * u(x.s, x.t, partnerCooperates: false)
    let defect = p * u(x.t, x.s, partnerCooperates: true) + (1 - p) * u(x.p, x.p, partnerCooperates: false)
    return (cooperate, defect)
  }

  func movePrompt(_ me: Player, stage: Int) -> DecisionPrompt {
    let x = spec.payoffs
    let a = DecisionPrompt.amount
    let rules =
      "You play a repeated prisoner's dilemma with one partner. In each stage you both choose at the same time to "
      + "cooperate or defect. Both cooperate: \(a(x.r)) each. Both defect: \(a(x.p)) each. If one defects and the "
      + "other cooperates, the defector gets \(a(x.t)) and the cooperator \(a(x.s))."
    var question = "Stage \(stage + 1)."
    if stage > 0 {
      question +=
        " Last stage you \(me.lastMove ? "cooperated" : "defected") and your partner "
        + "\(me.partnerLast ? "cooperated" : "defected")."
    }
    return DecisionPrompt(
      kind: "prisoners_dilemma.move", rules: rules, question: question, options: ["cooperate", "defect"])
  }
}

extension PrisonersDilemma.Player {
  mutating func update(move: Bool, partner: Bool, payoff: Double) {
    lastMove = move
    partnerLast = partner
    if !partner { partnerEverDefected = true }
    lastPayoff = payoff
  }
}

extension GameType {
  public static let prisonersDilemma: GameType = "prisoners_dilemma"
}
