import AgoraCore
import Foundation

/// The result tables of a match game (trust, public goods, prisoner's dilemma, GLEE's games, matrix, double
/// auction): summary, steps and segments.
extension Experiment {
  static func result<G: MatchGame>(of run: MatchRun<G>, spec: ScenarioSpec, runIndex: Int, seconds: Double) throws
    -> RunResult
  {
    let ids = identifiers(spec, runIndex)
    let population = run.population
    let n = population.count
    let context = run.context
    let payoffs = context.payoffs
    let game = run.game
    var summary = header(spec, runIndex, n)
    if spec.matching.type == .groups {
      summary += [("group_size", .int(spec.matching.size)), ("partner", .int(spec.matching.partner ? 1 : 0))]
    }
    summary += game.parameterColumns
    let totalPayoff = payoffs.reduce(0, +)
    summary.append(("matches", .int(Int(context.matches.reduce(0) { $0 + Int($1) }) / run.groupSize)))
    let metrics = game.metrics(context.total)
    summary += metrics.map { ($0.0, .double($0.1)) }
    summary += [("mean_payoff", .double(totalPayoff / Double(n))), ("total_payoff", .double(totalPayoff))]
    summary += inequality(payoffs).map { ($0.0, .double($0.1)) }
    if spec.game.rounds > 1, let main = game.headline.first, let first = run.steps.first, let last = run.steps.last {
      let value = { (c: GameCounters) in game.metrics(c).first { $0.0 == main }?.1 ?? .nan }
      summary += [
        ("\(main)_round_1", .double(value(first.counters))), ("\(main)_round_last", .double(value(last.counters))),
      ]
    }
    let segments = population.segments
    let metricNames = metrics.map(\.0)
    let (segmentColumns, segmentRows) = segmentTable(
      population, ids: ids, columns: ["mean_payoff", "gini"] + metricNames
    ) { s, range in
      let (own, mean) = segmentValues(payoffs, range)
      let key = segments[s].name.snakeCased
      let rates = game.metrics(context.bySegment[s])
      summary.append(("mean_payoff_\(key)", .double(mean)))
      for (name, value) in rates where game.headline.contains(name) {
        summary.append(("\(name)_\(key)", .double(value)))
      }
      return [
        .double(mean),
        .double((try? Inequality.gini(own)) ?? .nan),
      ]
        + rates.map { .double($0.1) }
    }
    if !game.pairMetrics.isEmpty {
      for (a, first) in segments.enumerated() {
        for (b, second) in segments.enumerated() {
          let rates = game.metrics(context.byPair[a * segments.count + b])
          for (name, value) in rates where game.pairMetrics.contains(name) {
            summary.append(("\(name)_\(first.name.snakeCased)_vs_\(second.name.snakeCased)", .double(value)))
          }
        }
      }
    }
    let stepColumns = ["run_index", "seed", "step", "time", "matches"] + metricNames + ["mean_payoff", "gini"]
    let stepRows: [[Cell]] = run.steps.map { step in
      ids.map(\.1) + [.int(step.step), .double(step.time), .int(step.matches)]
        + game.metrics(step.counters).map { .double($0.1) } + [.double(step.meanPayoff), .double(step.gini)]
    }
    var result = RunResult(
      summary: summary, stepColumns: stepColumns, stepRows: stepRows, segmentColumns: segmentColumns,
      segmentRows: segmentRows, population: population, payoffs: payoffs, interactions: context.matches,
      seconds: seconds, headline: game.headline, countColumn: "matches")
    result.agentValues = game.agentValues(population)
    if spec.matching.type == .network { result.tables = [run.network.edgeTable(ids: ids.map(\.1))] }
    if !G.gameColumns.isEmpty { result.tables.append(gameTable(run, ids: ids)) }
    return result
  }

  /// The `games` table of a game with ``MatchGame/gameColumns``: the run's identifiers, then each recorded row, an
  /// integer column's value as a whole number and NaN as an empty cell.
  static func gameTable<Game: MatchGame>(_ run: MatchRun<Game>, ids: [(String, Cell)]) -> (
    name: String, columns: [String], rows: [[Cell]]
  ) {
    let row = Game.gameRow
    let width = row.count
    let integer = row.map { $0.type == .integer }
    let cells = ids.map(\.1)
    let values = run.gameValues
    let rows = stride(from: 0, to: values.count, by: width).map { start in
      cells
        + (0..<width).map { k -> Cell in
          let v = values[start + k]
          return integer[k] && v.isFinite ? .int(Int(v)) : .double(v)
        }
    }
    return (name: "games", columns: ids.map(\.0) + row.map(\.name), rows: rows)
  }
}
