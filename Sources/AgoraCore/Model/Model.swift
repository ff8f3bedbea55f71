/// A model Agora runs: a game or a world, found by its `game.type` in ``ModelRegistry``. It declares its parameters
/// (the rest of the `game` mapping), the matchings it can be played under, the fixed strategies it accepts, and how it
/// runs over a sampled population. Games get their run from their family (``DivisionGame``, ``MatchGame``); a world
/// writes its own.
public protocol Model: SendableMetatype {
  /// The model's parameters, declared once.
  associatedtype Parameters: ModelParameters
  /// The registry key: the YAML `game.type`.
  static var type: GameType { get }
  /// The matching protocols the model can be played under; the first is the default.
  static var matchings: [MatchingType] { get }
  /// The fixed strategies a segment may play in this model (`strategy: NAME`), by name.
  static var strategies: [String] { get }
  /// The columns the model writes beyond ``StandardColumns`` and its declared parameters (summary, steps, segments
  /// and its own tables), each declared once with its type, unit and meaning. A run that writes a column nothing
  /// declares fails (``RecordError``); the data dictionary beside every CSV comes from here.
  static var columns: [Column] { get }
  /// The columns of a run of `spec`: ``columns``, and those a model names after its parameters (a matrix game's
  /// `row_<action>_rate` for the scenario's own actions).
  static func columns(for spec: ScenarioSpec) -> [Column]
  /// The model's own tables beside summary, steps, segments and agents (the commons' `villages`), by name: each is
  /// written as `<name>.csv` and a sweep keeps it with `--keep NAME`.
  static var tables: [String] { get }
  /// The belief models (`memory.learning`) the model's agents can use; `population` is the division games'.
  static var learnings: [Learning] { get }
  /// The charts that tell the model's story, first in `report.html` (drawn from its steps).
  static var story: [StoryChart] { get }
  /// Whether the model records its agents' values at each step (`output.agent_steps`).
  static var recordsAgentSteps: Bool { get }
  /// The per-agent values the model can write to `agent_steps.csv` beyond `payoff` and `interactions` (an
  /// ultimatum's `offer`), declared once with their types, units and meanings; `output.agent_steps.columns` may
  /// name them. Empty for a model with none of its own.
  static var agentStepColumns: [Column] { get }
  /// Whether `output.events` can log the model's interactions: true when it declares ``eventColumns``; a model that
  /// sets it without declaring them logs offers and answers (``StandardColumns/offers``).
  static var logsEvents: Bool { get }
  /// The columns of the model's `events.csv` rows after `run_index`, `seed` and `time`, declared once with their
  /// types, units and meanings (a prisoner's dilemma's move, a double auction's trade); the rows it logs
  /// (``Interaction/values``) hold these cells in this order. Empty for a model that logs no interactions.
  static var eventColumns: [Column] { get }
  /// Runs the scenario from `setup` (clock, seeds, population and language-model agents made once for every model).
  static func run(_ setup: RunSetup) throws -> RunResult
  /// A conservative estimate of the run's memory beyond the process, in bytes (checked before anything is allocated).
  static func estimatedBytes(_ spec: ScenarioSpec) -> Double
  /// About how many events (decisions, stages, orders, signals) one agent plays per round.
  static func eventsPerAgentRound(_ spec: ScenarioSpec) -> Double
  /// The rows of the per-step table and the key that sets how often it samples, when the model samples other than
  /// once per round.
  static func stepRows(_ spec: ScenarioSpec) -> (rows: Double, key: String)?
  /// Checks across keys (and against the population) that the parameters' own checks cannot make.
  static func check(_ spec: ScenarioSpec) throws(ScenarioIssue)
}

extension Model {
  public static var matchings: [MatchingType] { [.randomPairs, .fixedPairs] }
  public static var strategies: [String] { [] }
  public static func columns(for spec: ScenarioSpec) -> [Column] { columns }
  public static var logsEvents: Bool { !eventColumns.isEmpty }
  public static var eventColumns: [Column] { [] }
  public static var recordsAgentSteps: Bool { false }
  public static var agentStepColumns: [Column] { [] }
  public static var story: [StoryChart] { [] }
  public static var learnings: [Learning] { [.none, .inContext] }
  public static var tables: [String] { [] }
  public static func eventsPerAgentRound(_ spec: ScenarioSpec) -> Double { 1 }
  public static func stepRows(_ spec: ScenarioSpec) -> (rows: Double, key: String)? { nil }
  public static func check(_ spec: ScenarioSpec) throws(ScenarioIssue) {}

  /// The scenario's parameters, as this model's type.
  public static func parameters(_ spec: ScenarioSpec) -> Parameters { spec.game.parameters(as: Parameters.self) }
}
