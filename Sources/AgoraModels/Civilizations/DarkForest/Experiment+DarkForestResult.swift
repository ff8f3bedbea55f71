import AgoraCore
import Foundation

/// The result tables of the dark forest: summary, steps and segments.
extension Experiment {
  static func result(of run: DarkForestRun, spec: ScenarioSpec, runIndex: Int, seconds: Double) -> RunResult {
    let ids = identifiers(spec, runIndex)
    let population = run.population
    let n = population.count
    let c = run.counts
    let born = (0..<n).filter { run.bornAt[$0].isFinite }
    let aliveNow = born.filter { run.alive[$0] }
    func rate(_ a: Int, _ b: Int) -> Double { b > 0 ? Double(a) / Double(b) : .nan }
    let broadcasters = born.filter { run.broadcast[$0] }
    let silentOnes = born.filter { !run.broadcast[$0] }
    let pLoud = rate(broadcasters.filter { run.annihilated[$0] }.count, broadcasters.count)
    let pQuiet = rate(silentOnes.filter { run.annihilated[$0] }.count, silentOnes.count)
    let totals = run.totals()
    let living = aliveNow.map { totals[$0] }
    let d = DarkForestRun.parameters(spec).darkForest
    var summary = header(spec, runIndex, n)
    summary += [
      ("dimensions", .int(d.dimensions)), ("region", .double(d.region)), ("light_speed", .double(d.lightSpeed)),
      ("fleet_speed", .double(d.fleetSpeed)), ("civilizations", .int(n)), ("born", .int(born.count)),
      ("alive", .int(aliveNow.count)), ("survival_rate", .double(rate(aliveNow.count, born.count))),
      ("annihilated", .int(born.filter { run.annihilated[$0] }.count)), ("collapses", .int(c.collapses)),
      ("hawking_ratio", .double(pQuiet > 0 ? pLoud / pQuiet : .nan)),
      ("annihilation_rate_broadcast", .double(pLoud)), ("annihilation_rate_hidden", .double(pQuiet)),
      ("silent_fraction", .double(rate(aliveNow.filter { !run.broadcast[$0] }.count, aliveNow.count))),
      ("strikes", .int(c.strikes)), ("battles", .int(c.battles)),
      ("first_strike_success", .double(rate(c.strikesWon, c.battles))),
      ("largest_cooperating_group", .int(run.steps.last?.largestGroup ?? 0)), ("alliances", .int(c.alliances)),
      ("gini", .double((try? Inequality.gini(living)) ?? .nan)),
      ("mean_staleness", .double(c.informedDecisions > 0 ? c.staleness / Double(c.informedDecisions) : .nan)),
      ("decisions", .int(c.decisions)), ("broadcasts", .int(c.broadcasts)), ("hides", .int(c.hides)),
      ("leaks", .int(c.leaks)), ("detections", .int(c.detections)), ("breakthroughs", .int(c.breakthroughs)),
      ("mean_payoff", .double(totals.reduce(0, +) / Double(n))),
    ]
    if d.worldviewSwitchRate > 0 { summary.append(("worldview_switches", .int(c.worldviewSwitches))) }
    let start0 = run.steps.first?.alive ?? []
    let end0 = run.steps.last?.alive ?? []
    let startTotal = max(1, start0.reduce(0, +))
    let endTotal = max(1, end0.reduce(0, +))
    let columns = ["mean_payoff", "born", "survivors", "survival_rate", "broadcast_rate", "share_start", "share_end"]
    let (segmentColumns, segmentRows) = segmentTable(population, ids: ids, columns: columns) { s, range in
      let segmentBorn = range.filter { run.bornAt[$0].isFinite }
      let survivors = segmentBorn.filter { run.alive[$0] }.count
      let key = population.segments[s].name.snakeCased
      let survival = rate(survivors, segmentBorn.count)
      let shareStart = start0.isEmpty ? Double.nan : Double(start0[s]) / Double(startTotal)
      let shareEnd = end0.isEmpty ? Double.nan : Double(end0[s]) / Double(endTotal)
      summary += [
        ("survival_rate_\(key)", .double(survival)), ("share_start_\(key)", .double(shareStart)),
        ("share_end_\(key)", .double(shareEnd)),
      ]
      return [
        .double(segmentValues(totals, range).mean), .int(segmentBorn.count), .int(survivors), .double(survival),
        .double(rate(segmentBorn.filter { run.broadcast[$0] }.count, segmentBorn.count)), .double(shareStart),
        .double(shareEnd),
      ]
    }
    let names = population.segments.map { "alive_\($0.name.snakeCased)" }
    let stepRows: [[Cell]] = run.steps.enumerated().map { k, step in
      ids.map(\.1) + [.int(k), .double(step.time), .int(step.alive.reduce(0, +))] + step.alive.map { .int($0) }
        + [.double(step.silent), .int(step.largestGroup)]
    }
    var result = RunResult(
      summary: summary,
      stepColumns: ["run_index", "seed", "step", "time", "alive"] + names + [
        "silent_fraction", "largest_cooperating_group",
      ],
      stepRows: stepRows,
      segmentColumns: segmentColumns, segmentRows: segmentRows, population: population,
      payoffs: totals, interactions: [Int32](repeating: 0, count: n), seconds: seconds,
      headline: ["survival_rate", "hawking_ratio", "silent_fraction", "first_strike_success"],
      countColumn: "civilizations")
    if run.trajectories.tracked > 0 { result.tables.append(trajectories(of: run, ids: ids)) }
    if spec.output.agents { result.agentValues = agentValues(of: run, dimensions: d.dimensions) }
    return result
  }

  /// trajectories.csv: the tracked civilizations at every sample, by time then id.
  static func trajectories(
    of run: DarkForestRun, ids: [(String, Cell)]
  ) -> (name: String, columns: [String], rows: [[Cell]]) {
    let names = run.population.segments.map { Cell.string($0.name) }
    let rows: [[Cell]] = run.trajectories.rows.map { row in
      let i = Int(row.civilization)
      return ids.map(\.1) + [
        .double(row.time), .int(i), names[Int(run.population.segment[i])], names[Int(row.worldview)],
        .int(row.alive ? 1 : 0),
      ] + row.resources.map { .double($0) } + [row.opponent >= 0 ? .int(Int(row.opponent)) : .double(.nan)]
    }
    return ("trajectories", ids.map(\.0) + DarkForestRun.trajectoryColumns.map(\.name), rows)
  }

  /// agents.csv's columns of the dark forest: each civilization's position and fate (kept only when agents.csv is
  /// written: 8 bytes a civilization and column).
  static func agentValues(of run: DarkForestRun, dimensions: Int) -> [(column: Column, values: [Double])] {
    let n = run.population.count
    let axes = DarkForestRun.positionColumns.prefix(dimensions).enumerated().map { k, column in
      (column: column, values: (0..<n).map { run.position[$0 * dimensions + k] })
    }
    func flag(_ value: (Int) -> Bool) -> [Double] {
      (0..<n).map { run.bornAt[$0].isFinite ? (value($0) ? 1 : 0) : .nan }
    }
    let fate = [
      run.bornAt.map { $0.isFinite ? $0 : .nan }, flag { run.alive[$0] }, flag { run.annihilated[$0] },
      flag { run.broadcast[$0] },
    ]
    return axes + zip(DarkForestRun.fateColumns, fate).map { (column: $0, values: $1) }
  }
}
