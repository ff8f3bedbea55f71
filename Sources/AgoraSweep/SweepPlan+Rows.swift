import AgoraCore
import AgoraOutput
import AgoraScenario

extension SweepPlan {
  /// A run's row in the sweep's `summary.csv`: its identifying fields (run index, seed, point, repetition, swept
  /// values), then the run's summary columns (those listed in `metrics`, or all), less the columns already given.
  public func summaryRow(_ run: Run, _ result: RunResult) throws(SweepError) -> [(String, Cell)] {
    let taken = Set(run.fields.map(\.0))
    let rest = result.summary.filter { !taken.contains($0.0) }
    guard let metrics else { return run.fields + rest }
    var kept: [(String, Cell)] = []
    for name in metrics where !taken.contains(name) {
      guard let field = rest.first(where: { $0.0 == name }) else {
        throw .unknownMetric(name, available: rest.map(\.0))
      }
      kept.append(field)
    }
    return run.fields + kept
  }

  /// A run's long-format rows for the kinds the plan keeps (steps, segments, agents, and `events` in the model's
  /// `eventColumns`), tidy: each row starts with the run's identifying fields (run index, seed, point, repetition,
  /// swept values), as Mesa's `batch_run` and NetLogo's table output put the parameters on every row. A swept name
  /// that is also one of the table's own columns (a swept `share` in `segments.csv`) is left to the table's column.
  func extraRows(_ result: RunResult, _ run: Run, events: [Interaction] = [], eventColumns: [Column] = [])
    -> [(kind: String, columns: [String], rows: [[Cell]])]
  {
    var extras: [(kind: String, columns: [String], rows: [[Cell]])] = []
    func tidy(_ kind: String, _ columns: [String], _ rows: [[Cell]]) {
      assert(columns.prefix(2) == ["run_index", "seed"], "\(kind) rows start with run_index, seed")
      let own = Set(columns)
      let fields = run.fields.dropFirst(2).filter { !own.contains($0.0) }
      let head = run.fields.prefix(2).map(\.1) + fields.map(\.1)
      extras.append(
        (kind, ["run_index", "seed"] + fields.map(\.0) + columns.dropFirst(2), rows.map { head + $0.dropFirst(2) }))
    }
    if keep.steps { tidy("steps", result.stepColumns, result.stepRows) }
    if keep.segments { tidy("segments", result.segmentColumns, result.segmentRows) }
    if keep.agents {
      var rows: [[Cell]] = []
      rows.reserveCapacity(result.population.count)
      result.forEachAgentRow(ids: [.int(run.index), run.fields[1].1]) { rows.append($0) }
      tidy("agents", result.agentColumns, rows)
    }
    if keep.events {
      let ids: [Cell] = [.int(run.index), run.fields[1].1]
      tidy("events", StandardColumns.eventTable(eventColumns).map(\.name), events.map { $0.cells(ids: ids) })
    }
    for table in result.tables where keep.tables.contains(table.name) { tidy(table.name, table.columns, table.rows) }
    return extras
  }
}
