import Foundation

/// Everything one run produced, ready to be written as CSV.
public struct RunResult: Sendable {
  /// The single summary row, by column.
  public var summary: [(String, Cell)]
  public var stepColumns: [String]
  public var stepRows: [[Cell]]
  public var segmentColumns: [String]
  public var segmentRows: [[Cell]]
  public var population: Population
  public var payoffs: [Double]
  public var interactions: [Int32]
  /// Seconds spent simulating (not writing).
  public var seconds: Double
  /// The game's main metric columns, printed first after a run.
  public var headline: [String] = []
  /// The summary column that counts what the run played (interactions, matches, villages, ...).
  public var countColumn = "interactions"
  /// Further tables the run writes, as `<name>.csv` (e.g. one row per village of the commons).
  public var tables: [(name: String, columns: [String], rows: [[Cell]])] = []
  /// The model's own per-agent columns, after `payoff` and `interactions` in `agents.csv` (a responder's minimum
  /// acceptable offer under the strategy method); each has one value per agent.
  public var agentValues: [(column: Column, values: [Double])] = []
  /// The declarations of every table's columns (`summary`, `steps`, `segments`, `agents` and the model's own
  /// tables), resolved when the run ends; the output layer writes the data dictionary from them.
  public var schema: [String: [Column]] = [:]
  /// The model's story charts, drawn first in `report.html`.
  public var story: [StoryChart] = []
  /// What the language-model agents used, when a segment has `policy: llm`.
  public var languageModelUsage: LanguageModelUsage? = nil
  /// What they would use, after an estimate (`agora run --estimate`).
  public var languageModelEstimate: LanguageModelEstimate? = nil
  /// A few of the language-model decisions, spread over the run (the report shows them; `transcripts.jsonl` has
  /// them all).
  public var languageModelSamples: [LanguageModelDecision] = []
  /// A few of the run's conversations, spread over it: each the decisions with a message of one round and group (a
  /// match, a village), in order (the report shows them).
  public var languageModelConversations: [[LanguageModelDecision]] = []

  public init(
    summary: [(String, Cell)], stepColumns: [String], stepRows: [[Cell]], segmentColumns: [String],
    segmentRows: [[Cell]], population: Population, payoffs: [Double], interactions: [Int32], seconds: Double,
    headline: [String] = [], countColumn: String = "interactions",
    tables: [(name: String, columns: [String], rows: [[Cell]])] = []
  ) {
    self.summary = summary
    self.stepColumns = stepColumns
    self.stepRows = stepRows
    self.segmentColumns = segmentColumns
    self.segmentRows = segmentRows
    self.population = population
    self.payoffs = payoffs
    self.interactions = interactions
    self.seconds = seconds
    self.headline = headline
    self.countColumn = countColumn
    self.tables = tables
  }

  /// Resolves and checks every table's columns against `catalog` (an undeclared column or a cell of the wrong
  /// type is a model's bug, refused before anything is written).
  public mutating func resolveSchema(_ catalog: ColumnCatalog) throws(RecordError) {
    var schema: [String: [Column]] = [:]
    schema["summary"] = try catalog.resolve(table: "summary", names: summary.map(\.0), rows: [summary.map(\.1)])
    schema["steps"] = try catalog.resolve(table: "steps", names: stepColumns, rows: stepRows)
    schema["segments"] = try catalog.resolve(table: "segments", names: segmentColumns, rows: segmentRows)
    schema["agents"] = StandardColumns.agents + agentValues.map(\.column)
    for (column, values) in agentValues where values.count != population.count {
      throw RecordError.agentValues(column: column.name, values: values.count, agents: population.count)
    }
    for table in tables {
      schema[table.name] = try catalog.resolve(table: table.name, names: table.columns, rows: table.rows)
    }
    self.schema = schema
  }

  /// The columns of `agents.csv`: the standard ones, then the model's (``agentValues``).
  public var agentColumns: [String] { StandardColumns.agents.map(\.name) + agentValues.map(\.column.name) }

  /// A summary value by column name.
  public subscript(_ column: String) -> Cell? { summary.first { $0.0 == column }?.1 }
}

/// Runs a resolved scenario: samples the population, plays the game on the scheduler and computes the metrics.
public enum Experiment {
  /// The engine version, written into every manifest.
  public static let version = "0.1.0"

  /// Runs `spec` (synchronous ultimatum and dictator rounds on up to `threads` threads; the output is the same for
  /// any number); `runIndex` labels its rows (the random streams derive from `spec.seed` alone, so any run of a
  /// sweep can be reproduced from its seed). `events` receives every interaction when given; `deciders` makes the
  /// run's external deciders (`policy: llm` segments), and a run that has such segments needs it.
  public static func run(
    _ spec: ScenarioSpec, runIndex: Int = 0, events: InteractionSink? = nil,
    progress: ((Double) -> Void)? = nil, threads: Int = 1, deciders: ExternalDecidersFactory?,
    agentSteps: AgentStepSink? = nil
  ) throws -> RunResult {
    // The reporters (`output.reporters`) are computed here, at every step, so every caller (a run's folder, a
    // sweep's kept steps, Swift code) gets them as columns of the steps table.
    let reporters = spec.output.reporters
    var reported: [Int: [Cell]] = [:]
    let sink: AgentStepSink? =
      reporters.isEmpty
      ? agentSteps
      : { values in
        if values.writesRows { try agentSteps?(values) }
        reported[values.step] = ReporterSpec.report(reporters, values)
      }
    let setup = try RunSetup(
      spec, runIndex: runIndex, events: events, progress: progress, threads: threads, deciders: deciders,
      agentSteps: sink)
    let model = ModelRegistry.entry(spec.game.type)
    var result = try model.run(setup)
    try setup.languageModel?.finish(&result)
    try result.resolveSchema(model.catalog(spec))
    if !reporters.isEmpty {
      let stepIndex = result.stepColumns.firstIndex(of: "step")
      let empty = [Cell](repeating: .double(.nan), count: reporters.count)
      result.stepColumns += reporters.map(\.name)
      result.stepRows = result.stepRows.map { row in
        row + (stepIndex.flatMap { reported[row[$0].integer] } ?? empty)
      }
      result.schema["steps", default: []] += reporters.map { $0.column(unitOf: model.agentStepColumn($0.of)) }
    }
    result.story = model.story
    return result
  }

  /// Every inequality metric of `payoffs`, or undefined (NaN, an empty cell) for all of them when some payoff is
  /// negative (a game with losses, such as a negotiation below value), where they are not defined.
  package static func inequality(_ payoffs: [Double]) -> [(String, Double)] {
    if let all = try? Inequality.all(payoffs) { return all }
    return ((try? Inequality.all([1])) ?? []).map { ($0.0, Double.nan) }
  }

  /// `run_index` and `seed`, which stand first on every row of every file.
  package static func identifiers(_ spec: ScenarioSpec, _ runIndex: Int) -> [(String, Cell)] {
    [("run_index", .int(runIndex)), ("seed", .string(String(spec.seed)))]
  }

  /// The summary columns every game shares: the run's identity, the game, the matching, the size and the rounds.
  package static func header(_ spec: ScenarioSpec, _ runIndex: Int, _ n: Int) -> [(String, Cell)] {
    [("run_id", .string("\(spec.name)/seed-\(spec.seed)"))] + identifiers(spec, runIndex) + [
      ("scenario", .string(spec.name)), ("game", .string(spec.game.type.rawValue)),
      ("matching", .string(spec.matching.type.rawValue)), ("population_size", .int(n)),
      ("rounds", .int(spec.game.rounds)),
    ]
  }

  /// The per-segment table every model writes, built once: `run_index`, `seed`, `segment`, `agents`, `share`, the
  /// model's own `columns` (a segment's values from `values`, given the segment's index and its agents' range), then
  /// the mean of every latent preference.
  package static func segmentTable(
    _ population: Population, ids: [(String, Cell)], columns: [String],
    _ values: (_ segment: Int, _ agents: Range<Int>) throws -> [Cell]
  ) rethrows -> (columns: [String], rows: [[Cell]]) {
    var rows: [[Cell]] = []
    for (s, segment) in population.segments.enumerated() {
      let range = population.ranges[s]
      let own = try values(s, range)
      assert(own.count == columns.count, "segment \(segment.name): \(own.count) values for \(columns.count) columns")
      rows.append(
        ids.map(\.1) + [
          .string(segment.name), .int(range.count), .double(segment.share),
          .string(segment.strategy ?? segment.policy.rawValue), .string(segment.llm?.model ?? ""),
        ] + own + preferenceMeans(population, range))
    }
    let head = ids.map(\.0) + ["segment", "agents", "share", "policy", "model"]
    return (head + columns + Preference.allCases.map { "mean_\($0.name)" }, rows)
  }

  /// The agents' values in `range` and their mean (NaN for an empty range).
  package static func segmentValues(_ values: [Double], _ range: Range<Int>) -> (own: [Double], mean: Double) {
    let own = Array(values[range])
    return (own, own.isEmpty ? .nan : own.reduce(0, +) / Double(own.count))
  }

  /// The mean of every latent preference over the agents in `range`.
  static func preferenceMeans(_ population: Population, _ range: Range<Int>) -> [Cell] {
    Preference.allCases.map { d in
      .double(range.isEmpty ? .nan : range.reduce(0.0) { $0 + population.value(d, of: $1) } / Double(range.count))
    }
  }
}
