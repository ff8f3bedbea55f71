import AgoraCore
import AgoraOutput
import AgoraScenario

/// The columns a sweep adds to its runs' rows (run identity and swept values) and the data dictionaries of its
/// merged files.
extension SweepPlan {
  /// Column names whose integer-valued grids are counts (typed integer, not double).
  static let integerKeys: Set<String> = ["size", "window", "rounds", "group_size", "village_size", "households"]

  /// What the model and population of the plan's base scenario are, for typing and declaring its columns; `nil`
  /// when the stored scenario no longer loads (its runs then fail with that error themselves).
  public func baseModel() -> (model: RegisteredModel, spec: ScenarioSpec)? {
    guard let base = try? template().spec(overrides: overrides), let model = ModelRegistry.model(base.game.type)
    else { return nil }
    return (model, base)
  }

  /// The type of a swept parameter's column: a game key's declared type; otherwise integer for an integer range or
  /// a grid of whole counts, double for numbers, string for names.
  static func columnType(of parameter: SweepParameter, model: RegisteredModel?) -> ColumnType {
    let parts = parameter.key.split(separator: ".").map(String.init)
    if parts.first == "game", let last = parts.last,
      let declared = model?.parameterColumns.first(where: { $0.name == last })
    {
      return declared.type
    }
    switch parameter.domain {
    case .range(_, _, _, let integer): return integer ? .integer : .double
    case .values(let values):
      if values.allSatisfy({ Int($0) != nil }), let last = parts.last, integerKeys.contains(last) { return .integer }
      return values.allSatisfy({ Double($0)?.isFinite == true }) ? .double : .string
    }
  }

  /// A swept value's cell in a column of `type`: the value the run resolved (`100` of a double key is `100.0`, as
  /// the run's own summary writes it), or the text as given when it is not of that type.
  static func cell(_ text: String, as type: ColumnType) -> Cell {
    switch type {
    case .integer:
      if let x = Int(text) { return .int(x) }
      if text == "true" || text == "false" { return .int(text == "true" ? 1 : 0) }
      return .string(text)
    case .double: return Double(text).map(Cell.double) ?? .string(text)
    case .string: return .string(text)
    }
  }

  /// The declarations of the columns a sweep's summary rows start with: `run_index`, `seed`, `point`,
  /// `repetition` and one per swept parameter.
  public func fieldColumns(model: RegisteredModel?) -> [Column] {
    StandardColumns.identifiers + [
      Column("point", .integer, "the design point's index (runs of one point differ only in their seed)"),
      Column("repetition", .integer, "the repetition's index within its design point, from 0"),
    ]
      + parameters.map { p in
        let doc = model?.parameterColumns.first { "game." + $0.name == p.key || p.key.hasSuffix("." + $0.name) }
        var column = Column(
          p.name, SweepPlan.columnType(of: p, model: model),
          "swept `\(p.key)`" + (doc.map { ": " + $0.description } ?? ""))
        column.model = doc?.model
        column.unit = doc?.unit ?? ""
        return column
      }
  }

  /// The declarations of the columns `names` of the merged `kind` file (`summary`, `steps`, `segments`, `agents`,
  /// `events` of the model's own event columns).
  func mergedColumns(kind: String, names: [String], base: (model: RegisteredModel, spec: ScenarioSpec)?)
    throws(SweepError) -> [Column]
  {
    let fields = fieldColumns(model: base?.model)
    let catalog = base.map { $0.model.catalog($0.spec) }
    // The scenario's reporters (`output.reporters`) are columns of its steps.
    let reporters =
      kind == "steps"
      ? base.map { b in b.spec.output.reporters.map { $0.column(unitOf: b.model.agentStepColumn($0.of)) } } ?? [] : []
    var columns: [Column] = []
    for name in names {
      let column =
        fields.first { $0.name == name } ?? reporters.first { $0.name == name }
        ?? (kind == "agents"
          // The standard columns, then the model's per-agent values (the strategy method's minimum, vision).
          ? StandardColumns.agents.first { $0.name == name } ?? catalog?.column(name, in: kind)
          : kind == "events"
            ? base?.model.eventTable.first { $0.name == name } : catalog?.column(name, in: kind))
      guard let column else {
        throw .output(.cannotWrite(path: "\(kind).csv", reason: "column '\(name)' has no declaration"))
      }
      columns.append(column)
    }
    return columns
  }
}
