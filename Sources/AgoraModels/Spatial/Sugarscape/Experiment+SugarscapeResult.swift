import AgoraCore

/// The result tables of the Sugarscape: summary, steps, segments, agents, the living's cells and the Lorenz curve.
extension Experiment {
  static func result(of run: SugarscapeRun, spec: ScenarioSpec, runIndex: Int, seconds: Double) -> RunResult {
    let p = run.parameters
    let ids = identifiers(spec, runIndex)
    let population = run.population
    let n = population.count
    let rounds = run.steps.count
    let last = run.steps.last ?? run.initial
    let payoffs = (0..<n).map { run.alive[$0] ? Double(run.wealth[$0]) : 0 }
    let lived = (0..<n).map { (run.alive[$0] ? Int32(rounds) : run.died[$0]) - run.born[$0] }
    let settled = run.steps.filter { $0.step > rounds / 2 }
    let capacity = settled.isEmpty ? .nan : Double(settled.reduce(0) { $0 + $1.alive }) / Double(settled.count)
    let lastDeath = run.steps.last { $0.deaths > 0 }.map { Double($0.step) } ?? .nan
    var summary = header(spec, runIndex, n)
    summary += p.declaredCells.filter { $0.0.name != "rounds" }.map { ($0.0.name, $0.1) }
    summary += [
      ("cells", .int(p.width * p.height)), ("alive", .int(last.alive)),
      ("deaths", .int(run.steps.reduce(0) { $0 + $1.deaths })),
      ("births", .int(run.steps.reduce(0) { $0 + $1.births })),
      ("total_moves", .int(run.steps.reduce(0) { $0 + $1.moves })), ("total_wealth", .int(last.totalWealth)),
      ("mean_wealth", .double(last.meanWealth)), ("wealth_gini", .double(last.gini)),
      ("mean_vision", .double(last.meanVision)), ("mean_metabolism", .double(last.meanMetabolism)),
      ("initial_wealth_gini", .double(run.initial.gini)), ("initial_mean_vision", .double(run.initial.meanVision)),
      ("initial_mean_metabolism", .double(run.initial.meanMetabolism)), ("carrying_capacity", .double(capacity)),
      ("last_death_step", .double(lastDeath)), ("landscape_sugar", .int(run.landscape.total)),
      ("mean_payoff", .double(n > 0 ? payoffs.reduce(0, +) / Double(n) : .nan)),
    ]
    let (segmentColumns, segmentRows) = segmentTable(
      population, ids: ids, columns: ["alive", "deaths", "mean_wealth", "mean_vision", "mean_metabolism"]
    ) { s, range in
      let living = range.filter { run.alive[$0] }
      let mean = { (value: (Int) -> Int) -> Double in
        living.isEmpty ? .nan : Double(living.reduce(0) { $0 + value($1) }) / Double(living.count)
      }
      let wealth = mean { run.wealth[$0] }
      let key = population.segments[s].name.snakeCased
      summary += [("alive_\(key)", .int(living.count)), ("mean_wealth_\(key)", .double(wealth))]
      return [
        .int(living.count), .int(run.steps.reduce(0) { $0 + $1.deathsBySegment[s] }), .double(wealth),
        .double(mean { Int(run.vision[$0]) }), .double(mean { Int(run.metabolism[$0]) }),
      ]
    }
    let stepRows: [[Cell]] = run.steps.map { step in
      ids.map(\.1) + [
        .int(step.step), .double(Double(step.step)), .int(step.alive), .int(step.deaths), .int(step.births),
        .int(step.moves), .int(step.totalWealth), .double(step.meanWealth), .double(step.gini),
        .double(step.meanVision), .double(step.meanMetabolism),
      ]
    }
    let names = population.segments.map { Cell.string($0.name) }
    let cellRows: [[Cell]] = (0..<n).compactMap { i in
      guard run.alive[i], let cell = run.grid.position(of: i) else { return nil }
      return ids.map(\.1) + [
        .int(i), .int(cell % p.width), .int(cell / p.width), names[Int(population.segment[i])], .int(run.wealth[i]),
      ]
    }
    let living = (0..<n).filter { run.alive[$0] }.map { Double(run.wealth[$0]) }
    let lorenzRows = SugarscapeRun.lorenz(living, points: p.lorenzPoints).map { share, wealth in
      ids.map(\.1) + [.double(share), .double(wealth)]
    }
    var result = RunResult(
      summary: summary,
      stepColumns: [
        "run_index", "seed", "step", "time", "alive", "deaths", "births", "moves", "total_wealth", "mean_wealth",
        "wealth_gini", "mean_vision", "mean_metabolism",
      ], stepRows: stepRows,
      segmentColumns: segmentColumns, segmentRows: segmentRows, population: population,
      payoffs: payoffs, interactions: lived, seconds: seconds,
      headline: ["alive", "carrying_capacity", "mean_wealth", "wealth_gini", "mean_vision", "mean_metabolism"],
      countColumn: "total_moves",
      tables: [
        (name: "cells", columns: ["run_index", "seed", "agent_id", "x", "y", "segment", "wealth"], rows: cellRows),
        (name: "lorenz", columns: ["run_index", "seed", "agent_share", "wealth_share"], rows: lorenzRows),
      ])
    result.agentValues = [
      (SugarscapeRun.visionColumn, run.vision.map(Double.init)),
      (SugarscapeRun.metabolismColumn, run.metabolism.map(Double.init)),
      (SugarscapeRun.deathColumn, run.died.map { $0 >= 0 ? Double($0) : .nan }),
    ]
    return result
  }
}
