import AgoraCore

/// Any two-player normal-form game from a payoff bimatrix (or a named classic), one-shot or repeated for
/// `horizon` stages; roles fixed (half of each segment plays row) or random.
///
/// A player believes the opponent plays each action with the opponent's recent empirical frequency (its window of
/// opponents' actions in the role it faces, smoothed towards uniform with `prior_weight`) and chooses by expected
/// utility of the payoffs, which enter unscaled: a population at temperature `T` plays a logit quantal response
/// with `lambda = 1/T`, and settles near the logit QRE (`agora solve qre`) for small lambda. With
/// `learning: fictitious` the belief is instead the mean of every opponent action seen, the t-th weighing t
/// (smoothed fictitious play), which converges to the QRE at every lambda tested.
public struct MatrixGame: MatchGame {
  public let spec: MatrixParameters
  public typealias Parameters = MatrixParameters
  public static var type: GameType { .matrix }
  let matrix: PayoffBimatrix
  var ring = WindowRing(count: 0) { _ in 0 }
  var entries: [Int16] = []
  var counts: [Int32] = []
  /// Fictitious play's weighted counts of opponents' actions (per agent, role and action; the t-th seen weighs t),
  /// allocated only when a segment learns that way.
  var weighted: [Double] = []
  /// Whether each segment learns by fictitious play.
  var fictitious: [Bool] = []
  let width: Int

  public init(spec: MatrixParameters) {
    self.spec = spec
    matrix = spec.matrix
    width = max(spec.matrix.rowActions.count, spec.matrix.columnActions.count)
  }

  public init(spec: MatrixParameters, scenario: ScenarioSpec) { self.init(spec: spec) }
  public var roles: RoleAssignment { spec.roles }
  public static var matchings: [MatchingType] { [.randomPairs, .fixedPairs, .roundRobin, .network] }
  /// Each agent's counts of its opponents' actions (Int32, per role and action), its window of them (Int16) and,
  /// under fictitious play, their weighted counts (Double).
  public static func estimatedBytes(_ spec: ScenarioSpec) -> Double {
    let width = Double(MatrixGame(spec: parameters(spec)).width)
    let weighted = spec.population.segments.contains { $0.memory.learning == .fictitious } ? 16 * width : 0
    return Experiment.matchBytes(
      spec, perAgent: 160 + 8 * width + weighted + 2 * Double(Experiment.contextWindow(spec)))
  }
  /// Beliefs from the prior, the context window, or fictitious play over every opponent action seen.
  public static var learnings: [Learning] { [.none, .inContext, .fictitious] }
  public var optionCount: Int { width }

  var counterNamesByRole: [String] {
    matrix.rowActions.map { "row_\($0.snakeCased)" } + matrix.columnActions.map { "column_\($0.snakeCased)" }
  }

  public var counterNames: [String] {
    ["moves_row", "moves_column", "payoff_row", "payoff_column"] + counterNamesByRole
  }

  public var headline: [String] {
    [
      "row_\(matrix.rowActions[0].snakeCased)_rate", "column_\(matrix.columnActions[0].snakeCased)_rate",
      "mean_payoff_row",
    ]
  }

  public var parameterColumns: [(String, Cell)] {
    [
      ("matrix", .string(matrix.name ?? "custom")), ("horizon", .int(spec.horizon)),
      ("roles", .string(spec.roles.rawValue)),
    ]
  }

  public static let metricColumns: [Column] =
    [
      Column("matrix", .string, "the bimatrix played: its preset's name, or `custom` for payoffs given in full"),
      Column("mean_payoff_row", unit: Column.Unit.payoff, "the row players' mean payoff per stage"),
      Column("mean_payoff_column", unit: Column.Unit.payoff, "the column players' mean payoff per stage"),
      Column(
        "efficiency",
        "mean sum of both players' payoffs per stage over the largest sum of any cell (empty if that is not positive)"),
      Column(
        "row_a{n}_rate", unit: Column.Unit.share,
        "share of the row players' moves that were `a{n}`, a custom matrix's unnamed row action {n}"),
      Column(
        "column_b{n}_rate", unit: Column.Unit.share,
        "share of the column players' moves that were `b{n}`, a custom matrix's unnamed column action {n}"),
    ] + actionRateColumns

  /// One row per player per stage in `events.csv` (`output.events`): the pair names each other.
  public static let eventColumns = [
    Column("round", .integer, unit: Column.Unit.rounds, "the round in which the match was played, from 1"),
    Column("stage", .integer, unit: "stages", "the stage of the match, from 1 (up to `horizon`)"),
    Column("agent", .integer, "the player's agent id"),
    Column("partner", .integer, "the opponent's agent id"),
    Column("role", .string, "the player's role: `row` or `column`"),
    Column("action", .string, "the action the player chose, by its name in the matrix"),
    Column("partner_action", .string, "the action the opponent chose, by its name in the matrix"),
    Column("payoff", unit: Column.Unit.payoff, "the player's payoff in the stage"),
  ]

  /// The `row_<action>_rate` and `column_<action>_rate` columns of the presets' actions (the reference table
  /// lists these; a run declares its own matrix's, ``columns(for:)``).
  static let actionRateColumns: [Column] = actionColumns(
    PayoffBimatrix.Preset.allCases.map { PayoffBimatrix.preset($0) })

  /// The action-rate columns of `matrices`' actions, each once.
  static func actionColumns(_ matrices: [PayoffBimatrix]) -> [Column] {
    let roles: [(String, [String])] = [
      ("row", matrices.flatMap(\.rowActions)), ("column", matrices.flatMap(\.columnActions)),
    ]
    var columns: [Column] = []
    var seen: Set<String> = []
    for (role, actions) in roles {
      for action in actions {
        let name = "\(role)_\(action.snakeCased)_rate"
        guard seen.insert(name).inserted else { continue }
        columns.append(
          Column(name, unit: Column.Unit.share, "share of the \(role) players' moves that were `\(action)`"))
      }
    }
    return columns
  }

  /// The declared columns and the action rates of the scenario's own matrix (its actions name them).
  public static func columns(for spec: ScenarioSpec) -> [Column] {
    columns + actionColumns([MatrixGame(spec: parameters(spec), scenario: spec).matrix])
  }

  public func metrics(_ c: GameCounters) -> [(String, Double)] {
    let best = zip(matrix.row.joined(), matrix.column.joined()).map { $0 + $1 }.max() ?? 0
    let perStage = c.values[0] > 0 ? (c.values[2] + c.values[3]) / c.values[0] : .nan
    var rows: [(String, Double)] = [
      ("mean_payoff_row", c.ratio(2, 0)), ("mean_payoff_column", c.ratio(3, 1)),
      ("efficiency", best > 0 ? perStage / best : .nan),
    ]
    for (a, name) in matrix.rowActions.enumerated() { rows.append(("row_\(name.snakeCased)_rate", c.ratio(4 + a, 0))) }
    let base = 4 + matrix.rowActions.count
    for (b, name) in matrix.columnActions.enumerated() {
      rows.append(("column_\(name.snakeCased)_rate", c.ratio(base + b, 1)))
    }
    return rows
  }

  /// Allocates every agent's window of opponents' actions (and the weighted counts of fictitious play).
  mutating func prepare(_ context: MatchContext) {
    let n = context.population.count
    ring = WindowRing(count: n) { context.memory[context.segment($0)].contextWindow }
    entries = [Int16](repeating: 0, count: ring.bufferSize(agents: n))
    counts = [Int32](repeating: 0, count: n * 2 * width)
    fictitious = context.memory.map { $0.learning == .fictitious }
    weighted = [Double](repeating: 0, count: fictitious.contains(true) ? n * 2 * width : 0)
  }

  /// Agent `i` of `segment`, playing `role` (0 row, 1 column), saw its opponent play `action`.
  mutating func remember(_ i: Int, segment: Int, role: Int, action: Int) {
    if fictitious[segment] {
      // Every action seen stays counted; the t-th seen in this role adds t to its weighted count.
      let at = (i * 2 + role) * width
      var seen = 1.0
      for a in 0..<width { seen += Double(counts[at + a]) }
      counts[at + action] += 1
      weighted[at + action] += seen
      return
    }
    guard let (slot, evicts) = ring.advance(i) else { return }
    if evicts {
      let old = Int(entries[slot])
      counts[(i * 2 + old / 16) * width + old % 16] -= 1
    }
    entries[slot] = Int16(role * 16 + action)
    counts[(i * 2 + role) * width + action] += 1
  }

  /// Agent `i`'s belief that its opponent (in the other role) plays `action` of `k`, as `role`: the counts of its
  /// window, or under fictitious play the weighted counts of all it has seen (t seen weigh t (t + 1) / 2 in all),
  /// smoothed towards uniform with `prior_weight`.
  func belief(_ i: Int, role: Int, action: Int, of k: Int, context: MatchContext) -> Double {
    let w = context.memory[context.segment(i)].priorWeight
    if fictitious[context.segment(i)] {
      var seen = 0.0
      for a in 0..<k { seen += Double(counts[(i * 2 + role) * width + a]) }
      return (w / Double(k) + weighted[(i * 2 + role) * width + action]) / (w + seen * (seen + 1) / 2)
    }
    guard ring.capacity > 0 else { return 1 / Double(k) }
    var total = 0.0
    for a in 0..<k { total += Double(counts[(i * 2 + role) * width + a]) }
    return (w / Double(k) + Double(counts[(i * 2 + role) * width + action])) / (w + total)
  }

  func choose(_ i: Int, role: Int, context: inout MatchContext) -> Int {
    let mine = role == 0 ? matrix.rowActions.count : matrix.columnActions.count
    let theirs = role == 0 ? matrix.columnActions.count : matrix.rowActions.count
    let m = context.motives(i)
    for a in 0..<mine {
      var u = 0.0
      for b in 0..<theirs {
        let p = belief(i, role: role, action: b, of: theirs, context: context)
        let (own, other) = role == 0 ? (matrix.row[a][b], matrix.column[a][b]) : (matrix.column[b][a], matrix.row[b][a])
        u += p * m.utility(own: own, other: other)
      }
      context.utilities[a] = u
    }
    let everything = fictitious[context.segment(i)]
    return context.choose(
      i, options: mine, salient: -1, prompt: actionPrompt(i, role: role, everything: everything))
  }

  /// Agent `i`'s question as `role`, with the counts of its opponents' actions (all of them when `everything`, under
  /// fictitious play; else its window's).
  func actionPrompt(_ i: Int, role: Int, everything: Bool = false) -> DecisionPrompt {
    let a = DecisionPrompt.amount
    var lines: [String] = []
    for (r, rowAction) in matrix.rowActions.enumerated() {
      for (c, columnAction) in matrix.columnActions.enumerated() {
        lines.append(
          "row \(rowAction), column \(columnAction): row player gets \(a(matrix.row[r][c])), column player gets "
            + "\(a(matrix.column[r][c]))")
      }
    }
    let rules =
      "You play a two-player game; both choose at the same time. Payoffs:\n" + lines.joined(separator: "\n")
    let theirs = role == 0 ? matrix.columnActions : matrix.rowActions
    var question = "You are the \(role == 0 ? "row" : "column") player."
    if ring.capacity > 0 || everything {
      let seen = theirs.indices.map { Int(counts[(i * 2 + role) * width + $0]) }
      if seen.reduce(0, +) > 0 {
        question +=
          (everything ? " So far your opponents played " : " Recently your opponents played ")
          + theirs.indices.map { "\(theirs[$0]) \(seen[$0]) times" }.joined(separator: ", ") + "."
      }
    }
    return DecisionPrompt(
      kind: "matrix.\(role == 0 ? "row" : "column")", rules: rules, question: question,
      options: role == 0 ? matrix.rowActions : matrix.columnActions)
  }

  public mutating func play(_ group: MatchGroup, round: Int, context: inout MatchContext) {
    if counts.count != context.population.count * 2 * width { prepare(context) }
    let r = Int(group[0])
    let c = Int(group[1])
    for stage in 0..<spec.horizon {
      let a = choose(r, role: 0, context: &context)
      let b = choose(c, role: 1, context: &context)
      let pr = matrix.row[a][b]
      let pc = matrix.column[a][b]
      context.pay(r, pr)
      context.pay(c, pc)
      context.log([
        .int(round + 1), .int(stage + 1), .int(r), .int(c), "row", .string(matrix.rowActions[a]),
        .string(matrix.columnActions[b]), .double(pr),
      ])
      context.log([
        .int(round + 1), .int(stage + 1), .int(c), .int(r), "column", .string(matrix.columnActions[b]),
        .string(matrix.rowActions[a]), .double(pc),
      ])
      remember(r, segment: context.segment(r), role: 0, action: b)
      remember(c, segment: context.segment(c), role: 1, action: a)
      context.count(0, for: r, against: c)
      context.count(1, for: c, against: r)
      context.count(2, pr, for: r, against: c)
      context.count(3, pc, for: c, against: r)
      context.count(4 + a, for: r, against: c)
      context.count(4 + matrix.rowActions.count + b, for: c, against: r)
    }
  }
}

extension GameType {
  public static let matrix: GameType = "matrix"
}
