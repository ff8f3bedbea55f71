import AgoraCore

/// The result tables of Schelling's model: summary, steps and segments.
extension Experiment {
  static func result(of run: SchellingRun, spec: ScenarioSpec, runIndex: Int, seconds: Double) -> RunResult {
    let p = run.parameters
    let ids = identifiers(spec, runIndex)
    let population = run.population
    let n = population.count
    let cells = p.width * p.height
    let last = run.steps.last ?? run.initial
    let share = { (happy: Int, agents: Int) -> Double in agents > 0 ? Double(happy) / Double(agents) : .nan }
    let totalMoves = run.steps.reduce(0) { $0 + $1.moves }
    let settled = run.steps.first { $0.moves == 0 }.map { Double($0.step) } ?? .nan
    let payoffs = run.happySteps.map(Double.init)
    var summary = header(spec, runIndex, n)
    summary += p.declaredCells.filter { $0.0.name != "rounds" }.map { column, cell in
      (column.name, column.name == "density" ? .double(Double(n) / Double(cells)) : cell)
    }
    summary += [
      ("cells", .int(cells)), ("happy_share", .double(share(last.happy, n))), ("moves", .int(last.moves)),
      ("total_moves", .int(totalMoves)), ("segregation_index", .double(last.segregation)),
      ("dissimilarity_index", .double(last.dissimilarity)),
      ("initial_happy_share", .double(share(run.initial.happy, n))),
      ("initial_segregation_index", .double(run.initial.segregation)),
      ("initial_dissimilarity_index", .double(run.initial.dissimilarity)), ("settled_step", .double(settled)),
      ("mean_payoff", .double(n > 0 ? payoffs.reduce(0, +) / Double(n) : .nan)),
    ]
    let (segmentColumns, segmentRows) = segmentTable(
      population, ids: ids, columns: ["happy_share", "segregation_index", "total_moves"]
    ) { s, range in
      let key = population.segments[s].name.snakeCased
      let happy = share(last.happyBySegment[s], range.count)
      summary += [
        ("happy_share_\(key)", .double(happy)), ("segregation_index_\(key)", .double(last.segregationBySegment[s])),
      ]
      let moves = run.steps.reduce(0) { $0 + $1.movesBySegment[s] }
      return [.double(happy), .double(last.segregationBySegment[s]), .int(moves)]
    }
    let stepRows: [[Cell]] = run.steps.map { step in
      ids.map(\.1) + [
        .int(step.step), .double(Double(step.step)), .double(share(step.happy, n)), .int(step.moves),
        .double(step.segregation), .double(step.dissimilarity),
      ]
    }
    // The grid at the end: every agent's cell (`cells.csv`; the report draws it).
    let names = population.segments.map { Cell.string($0.name) }
    let cellRows: [[Cell]] = (0..<n).compactMap { i in
      guard let cell = run.grid.position(of: i) else { return nil }
      return ids.map(\.1) + [.int(i), .int(cell % p.width), .int(cell / p.width), names[Int(population.segment[i])]]
    }
    return RunResult(
      summary: summary,
      stepColumns: [
        "run_index", "seed", "step", "time", "happy_share", "moves", "segregation_index", "dissimilarity_index",
      ], stepRows: stepRows,
      segmentColumns: segmentColumns, segmentRows: segmentRows, population: population,
      payoffs: payoffs, interactions: [Int32](repeating: Int32(spec.game.rounds), count: n), seconds: seconds,
      headline: ["happy_share", "segregation_index", "dissimilarity_index"], countColumn: "total_moves",
      tables: [(name: "cells", columns: ["run_index", "seed", "agent_id", "x", "y", "segment"], rows: cellRows)])
  }
}
