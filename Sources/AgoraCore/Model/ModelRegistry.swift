import Synchronization

/// One registered model with its static requirements erased to values, so that the loader, the bounds and the
/// runner can ask any model by name.
public struct RegisteredModel: Sendable {
  public let type: GameType
  /// The declared keys of the model's parameters, in order.
  public let parameterKeys: [String]
  public let matchings: [MatchingType]
  public let strategies: [String]
  public let logsEvents: Bool
  /// The columns of its `events.csv` rows after `run_index`, `seed` and `time`: its declared ``Model/eventColumns``,
  /// or offers and answers (``StandardColumns/offers``) for a model that logs events without declaring them.
  public let eventColumns: [Column]
  /// Whether it records its agents' values at each step (`output.agent_steps`).
  public let recordsAgentSteps: Bool
  /// Its own per-agent values for `agent_steps.csv` (``Model/agentStepColumns``).
  public let agentStepColumns: [Column]
  /// The charts that tell the model's story in `report.html`.
  public let story: [StoryChart]
  /// The belief models the model's agents can use.
  public let learnings: [Learning]
  /// The model's own tables (`villages`), by name.
  public let tables: [String]
  /// The model's own declared columns.
  public let columns: [Column]
  /// Its declared parameters as columns (nested mappings by their own keys), which its summary may echo.
  public let parameterColumns: [Column]
  /// The model's reference table (`agora list --parameters`), with its nested mappings' tables.
  public let table: String
  let decodeParameters: @Sendable (any Decoder) throws -> any ModelParameters
  let defaultParameters: @Sendable () -> any ModelParameters
  let run: @Sendable (RunSetup) throws -> RunResult
  let columnsFor: @Sendable (ScenarioSpec) -> [Column]
  let estimatedBytes: @Sendable (ScenarioSpec) -> Double
  let eventsPerAgentRound: @Sendable (ScenarioSpec) -> Double
  let stepRows: @Sendable (ScenarioSpec) -> (rows: Double, key: String)?
  let check: @Sendable (ScenarioSpec) throws(ScenarioIssue) -> Void

  package init<M: Model>(_ model: M.Type) {
    type = M.type
    parameterKeys = M.Parameters.keys
    matchings = M.matchings
    strategies = M.strategies
    logsEvents = M.logsEvents
    eventColumns =
      M.eventColumns.isEmpty
      ? (M.logsEvents ? StandardColumns.offers : [])
      : M.eventColumns.map {
        var column = $0
        column.model = M.type.rawValue
        return column
      }
    recordsAgentSteps = M.recordsAgentSteps
    let agentStepColumns = M.agentStepColumns.map {
      var column = $0
      column.model = M.type.rawValue
      return column
    }
    self.agentStepColumns = agentStepColumns
    story = M.story
    learnings = M.learnings
    tables = M.tables
    columns = M.columns
    parameterColumns = M.Parameters().declaredCells.map {
      var column = $0.0
      column.model = M.type.rawValue
      return column
    }
    table = ([M.Parameters.markdownTable] + M.Parameters.nestedTables.map { "Under `\($0.key)`:\n\n\($0.table)" })
      .joined(separator: "\n\n")
    decodeParameters = { try M.Parameters.decodeParameters(from: $0) }
    defaultParameters = { M.Parameters() }
    run = { try M.run($0) }
    columnsFor = { M.columns(for: $0) }
    estimatedBytes = { M.estimatedBytes($0) }
    eventsPerAgentRound = { M.eventsPerAgentRound($0) }
    stepRows = { M.stepRows($0) }
    check = { spec throws(ScenarioIssue) in
      try Self.checkAgentSteps(spec, model: M.type, own: agentStepColumns, records: M.recordsAgentSteps)
      try M.check(spec)
    }
  }

  /// The names `output.agent_steps.columns` may hold for this model: `payoff`, `interactions`, then its own.
  public var agentStepNames: [String] { AgentSteps.Value.standard.map(\.rawValue) + agentStepColumns.map(\.name) }

  /// The column of `agent_steps.csv` that holds `value`: a standard one or one the model declares.
  public func agentStepColumn(_ value: AgentSteps.Value) -> Column? {
    StandardColumns.agentStepValues[value] ?? agentStepColumns.first { $0.name == value.rawValue }
  }

  /// Refuses an `output.agent_steps.columns` name that is neither standard nor one of the model's `own` values,
  /// naming those allowed, and a reporter (`output.reporters`) of an unknown value or segment, whose name clashes
  /// with a column, or of a model that records no agent values (`records`).
  static func checkAgentSteps(
    _ spec: ScenarioSpec, model: GameType, own: [Column], records: Bool
  ) throws(ScenarioIssue) {
    let allowed = AgentSteps.Value.standard.map(\.rawValue) + own.map(\.name)
    for value in spec.output.agentSteps?.columns ?? [] where !allowed.contains(value.rawValue) {
      throw ScenarioIssue(
        path: "output.agent_steps.columns",
        message: "'\(value.rawValue)' is not a per-agent value of \(model.rawValue); allowed: "
          + allowed.joined(separator: ", "))
    }
    guard !spec.output.reporters.isEmpty else { return }
    guard records else {
      throw ScenarioIssue(
        path: "output.reporters",
        message: "\(model.rawValue) records no per-agent values (reporters are computed by the games); remove it")
    }
    let catalog = ModelRegistry.entry(model).catalog(spec)
    let segments = spec.population.segments.map(\.name)
    for (i, reporter) in spec.output.reporters.enumerated() {
      let path = "output.reporters.\(i)"
      if !allowed.contains(reporter.of.rawValue) {
        throw ScenarioIssue(
          path: path + ".of",
          message: "'\(reporter.of.rawValue)' is not a per-agent value of \(model.rawValue); allowed: "
            + allowed.joined(separator: ", "))
      }
      if let segment = reporter.segment, !segments.contains(segment) {
        throw ScenarioIssue(
          path: path + ".segment",
          message: "'\(segment)' is not a segment of the population; expected one of "
            + segments.joined(separator: ", "))
      }
      if catalog.column(reporter.name, in: "steps") != nil {
        throw ScenarioIssue(
          path: path + ".name",
          message: "'\(reporter.name)' is a column \(model.rawValue)'s runs already write or declare; choose another "
            + "name")
      }
    }
  }

  /// The catalog that resolves the columns of a run of `spec` (this model's), its segments' names included.
  public func catalog(_ spec: ScenarioSpec) -> ColumnCatalog {
    ColumnCatalog(
      model: type.rawValue, columns: columnsFor(spec), parameters: parameterColumns,
      segments: spec.population.segments.map(\.name.snakeCased))
  }

  /// The columns of the model's `events.csv` (`output.events: true`): the identifiers, `time`, then its
  /// ``eventColumns``.
  public var eventTable: [Column] { StandardColumns.eventTable(eventColumns) }

  /// The block `docs/columns.md` holds for the model: its own columns' table between markers, then the columns of
  /// its `events.csv` when it declares its own.
  public var columnsDocBlock: String {
    var body = Column.markdownTable(columns)
    if logsEvents && eventColumns != StandardColumns.offers {
      body += "\n\n`events.csv` (`output.events: true`), after `run_index`, `seed` and `time`:\n\n"
      body += Column.markdownTable(eventColumns)
    }
    if !agentStepColumns.isEmpty {
      body += "\n\n`agent_steps.csv` (`output.agent_steps.columns`), besides `payoff` and `interactions`:\n\n"
      body += Column.markdownTable(agentStepColumns)
    }
    return "<!-- generated: agora list --columns \(type.rawValue) -->\n\(body)\n<!-- end generated -->"
  }

  /// The block `docs/scenario.md` holds for the model: its table between markers that say where it comes from.
  public var docBlock: String {
    "<!-- generated: agora list --parameters \(type.rawValue) -->\n\(table)\n<!-- end generated -->"
  }
}

/// Why a model cannot be registered.
public struct ModelRegistrationError: Error, CustomStringConvertible {
  public let type: GameType
  public var description: String { "a model named '\(type.rawValue)' is already registered" }
}

/// The models a scenario can name, by `game.type`: the built-in games and worlds, and any a program registers
/// before it loads scenarios (`Examples/CustomGame` registers a stag hunt). The loader, the bounds, the memory
/// estimate and `Experiment.run` look a model up here; nothing else lists the models.
public enum ModelRegistry {
  private static let registered = Mutex<[RegisteredModel]>([])

  /// Adds `models` that are not registered yet (by name), in order: how a layer registers its built-in models, as
  /// often as it likes.
  package static func registerOnce(_ models: [RegisteredModel]) {
    registered.withLock { current in
      for model in models where !current.contains(where: { $0.type == model.type }) { current.append(model) }
    }
  }

  /// Adds `model`, so that scenarios can name it as `game.type`; throws if the name is taken.
  public static func register<M: Model>(_ model: M.Type) throws(ModelRegistrationError) {
    let entry = RegisteredModel(model)
    let added = registered.withLock { models in
      guard !models.contains(where: { $0.type == entry.type }) else { return false }
      models.append(entry)
      return true
    }
    if !added { throw ModelRegistrationError(type: entry.type) }
  }

  /// Every registered model, built-in ones first.
  public static var models: [RegisteredModel] { registered.withLock { $0 } }

  /// The names of every registered model.
  public static var types: [GameType] { models.map(\.type) }

  /// The model named `type`, if one is registered.
  public static func model(_ type: GameType) -> RegisteredModel? { models.first { $0.type == type } }

  /// The model of a decoded scenario (decoding succeeded, so it is registered).
  package static func entry(_ type: GameType) -> RegisteredModel {
    guard let model = model(type) else { preconditionFailure("no model is registered for game.type \(type)") }
    return model
  }

  /// Every key any model declares (so that a key of another model gets its own message): `rounds`, which every
  /// model has, first, so that messages read the same whatever was registered first.
  package static var allKeys: [String] {
    var seen: Set<String> = ["rounds"]
    return ["rounds"] + models.flatMap(\.parameterKeys).filter { seen.insert($0).inserted }
  }
}
