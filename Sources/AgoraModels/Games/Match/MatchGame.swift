import AgoraCore

/// A game played in matches of a fixed number of agents (pairs or groups), one match per group per round, possibly
/// over several stages (a repeated game): trust, public goods, prisoner's dilemma.
///
/// A game computes the utilities of options from its agents' ``Motives`` and beliefs, asks the ``MatchContext`` to
/// choose (the decoder never knows which game it serves), resolves outcomes, pays and counts.
///
/// A game is a plain value: whatever it keeps between matches (a matrix game's windows of its opponents' actions) is
/// held in value types, so a saved copy is a snapshot that a language-model pass restores by assignment.
public protocol MatchGame: Model, Sendable {
  /// The game for a scenario's parameters (and its matching, for games whose size it sets).
  init(spec: Parameters, scenario: ScenarioSpec)
  /// How the first and second roles of a pair are assigned (`swap` unless the game declares `roles`).
  var roles: RoleAssignment { get }
  /// The names of the counters the game keeps (sums over matches, credited to an agent's segment).
  var counterNames: [String] { get }
  /// The metric columns of a set of counters, by name.
  func metrics(_ counters: GameCounters) -> [(String, Double)]
  /// The declarations of the metrics' columns (and of any other column the game writes beyond its family's and its
  /// parameters').
  static var metricColumns: [Column] { get }
  /// The columns of the game's `games` table, one row per game as GLEE's analysis takes it (the game's own values,
  /// all numbers; integer columns hold whole numbers, an empty cell is NaN); none by default.
  static var gameColumns: [Column] { get }
  /// The metrics printed first after a run.
  var headline: [String] { get }
  /// The metrics also reported for every ordered pair of segments (`<metric>_<a>_vs_<b>`); empty for none.
  var pairMetrics: [String] { get }
  /// Agents per match when the game fixes it (a persuasion seller with 20 myopic buyers); `nil`: pairs, or the
  /// matching's group size.
  var playersPerMatch: Int? { get }
  /// The most options any one decision of the game has (the size of the context's utility scratch).
  var optionCount: Int { get }
  /// The game's parameters as summary columns.
  var parameterColumns: [(String, Cell)] { get }
  /// The game's own per-agent columns for agents.csv (one value per agent of `population`); none by default.
  func agentValues(_ population: Population) -> [(column: Column, values: [Double])]
  /// Starts keeping what the game's own per-agent values `names` (of its ``Model/agentStepColumns``, asked for by
  /// `output.agent_steps`) need, for `agents` agents; a game keeps nothing per decision unless asked. None by default.
  mutating func keepAgentStepValues(_ names: [String], agents: Int)
  /// The game's own per-agent value `name` (one it declares in ``Model/agentStepColumns``), a cell per agent (empty:
  /// `.double(.nan)`), at a step `output.agent_steps` records.
  func agentStepValues(_ name: String, context: MatchContext) -> [Cell]
  /// Plays one match of `group` (agent ids; in a pair game the first moves first) in round `round` (0-based).
  mutating func play(_ group: MatchGroup, round: Int, context: inout MatchContext)
}

extension MatchGame {
  public var roles: RoleAssignment { .swap }
  public static var recordsAgentSteps: Bool { true }

  /// The family's columns and the game's metrics.
  public static var columns: [Column] {
    [
      Column("matches", .integer, unit: Column.Unit.count, "matches played (one per pair or group per round)"),
      Column("group_size", .integer, unit: Column.Unit.count, "agents per group under `matching: groups`"),
      Column("partner", .integer, "1 if groups stay the same every round (partner matching), 0 if re-drawn"),
    ] + metricColumns + (matchings.contains(.network) ? Network.edgeColumns : [])
      + (gameColumns.isEmpty ? [] : gameRow.map { $0.only(in: "games") })
  }

  /// On a network, the run writes it (`edges.csv`); a game with ``gameColumns`` writes `games.csv`.
  public static var tables: [String] {
    (matchings.contains(.network) ? ["edges"] : []) + (gameColumns.isEmpty ? [] : ["games"])
  }

  public static var gameColumns: [Column] { [] }

  /// The memory of the `games` table at its peak, for a game with ``gameColumns``: a pair's game a round, each row
  /// kept as numbers while the run plays (8 bytes a value) and as cells at the end (24 bytes a cell, an array each).
  public static func gameTableBytes(_ spec: ScenarioSpec) -> Double {
    guard !gameColumns.isEmpty else { return 0 }
    let width = Double(2 + gameRow.count)
    return Double(spec.population.size) / 2 * Double(spec.game.rounds) * (32 * width + 64)
  }

  /// A row of the `games` table after the run's identifiers: the run's round and the game's index in it (recorded
  /// by ``MatchContext/record(game:)``), then the game's own ``gameColumns``.
  static var gameRow: [Column] {
    [
      Column("round", .integer, unit: Column.Unit.rounds, "the run's round the game was played in, from 1"),
      Column("game", .integer, "the game's index in its round, from 0 (the order the games were played in)"),
    ] + gameColumns
  }

  /// Plays the rounds of matches on the scheduler.
  public static func run(_ setup: RunSetup) throws -> RunResult {
    var run = MatchRun(
      game: Self(spec: parameters(setup.spec), scenario: setup.spec), scenario: setup.spec,
      population: setup.population, seeds: setup.seeds, languageModel: setup.languageModel)
    try run.run(progress: setup.progress, setup: setup)
    return try Experiment.result(of: run, spec: setup.spec, runIndex: setup.runIndex, seconds: setup.seconds)
  }

  /// A conservative default: the largest per-agent footprint measured among the built-in match games, with room.
  public static func estimatedBytes(_ spec: ScenarioSpec) -> Double { Experiment.matchBytes(spec, perAgent: 256) }

  public var pairMetrics: [String] { [] }
  public func agentValues(_ population: Population) -> [(column: Column, values: [Double])] { [] }
  public mutating func keepAgentStepValues(_ names: [String], agents: Int) {}
  public func agentStepValues(_ name: String, context: MatchContext) -> [Cell] {
    [Cell](repeating: .double(.nan), count: context.population.count)
  }
  public var playersPerMatch: Int? { nil }
  public var optionCount: Int { 64 }
}

/// Named sums kept by a ``MatchGame``, in the game's counter order.
public struct GameCounters: Sendable, Hashable {
  public var values: [Double]

  public init(count: Int) { values = [Double](repeating: 0, count: count) }

  public subscript(_ index: Int) -> Double {
    get { values[index] }
    set { values[index] = newValue }
  }

  /// `a / b`, or NaN when `b` is 0 (a rate over nothing is undefined, written as an empty cell).
  public func ratio(_ a: Int, _ b: Int) -> Double { values[b] > 0 ? values[a] / values[b] : .nan }

  /// The counts here but not in `earlier`.
  public func minus(_ earlier: GameCounters) -> GameCounters {
    var d = self
    for k in values.indices { d.values[k] -= earlier.values[k] }
    return d
  }
}
