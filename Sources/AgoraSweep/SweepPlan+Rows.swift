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

  /// A run's long-format rows for the kinds the plan keeps (steps, segments, agents).
  func extraRows(_ result: RunResult, _ run: Run) -> [(kind: String, columns: [String], rows: [[Cell]])] {
    var extras: [(kind: String, columns: [String], rows: [[Cell]])] = []
    if keep.steps { extras.append(("steps", result.stepColumns, result.stepRows)) }
    if keep.segments { extras.append(("segments", result.segmentColumns, result.segmentRows)) }
    if keep.agents {
      var rows: [[Cell]] = []
      rows.reserveCapacity(result.population.count)
      result.forEachAgentRow(ids: [.int(run.index), .string(String(run.seed))]) { rows.append($0) }
      extras.append(("agents", RunFolder.agentColumns, rows))
    }
    return extras
  }
}
