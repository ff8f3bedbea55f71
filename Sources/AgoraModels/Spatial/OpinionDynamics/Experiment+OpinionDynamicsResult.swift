import AgoraCore

/// The result tables of the opinion-dynamics model: summary, steps, segments, `opinions.csv` and, on a network,
/// `edges.csv`.
extension Experiment {
  static func result(of run: OpinionDynamicsRun, spec: ScenarioSpec, runIndex: Int, seconds: Double) -> RunResult {
    let p = run.parameters
    let ids = identifiers(spec, runIndex)
    let population = run.population
    let n = population.count
    let last = run.steps.last ?? run.initial
    let payoffs = run.moved.map(Double.init)
    let edges = run.network?.edgeCount ?? n * (n - 1) / 2
    var summary = header(spec, runIndex, n)
    summary += p.declaredCells.filter { $0.0.name != "rounds" }.map { ($0.0.name, $0.1) }
    summary += [
      ("edges", .int(edges)), ("clusters", .int(last.clusters)), ("major_clusters", .int(last.majorClusters)),
      ("largest_cluster_share", .double(last.largestShare)), ("opinion_variance", .double(last.variance)),
      ("mean_opinion", .double(last.mean)), ("within_epsilon_share", .double(last.withinShare)),
      ("max_change", .double(last.maxChange)), ("converged_step", .double(run.convergedStep.map(Double.init) ?? .nan)),
      ("interactions", .int(run.interactions)), ("agreements", .int(run.agreements)),
      ("mean_payoff", .double(n > 0 ? payoffs.reduce(0, +) / Double(n) : .nan)),
      ("initial_clusters", .int(run.initial.clusters)), ("initial_major_clusters", .int(run.initial.majorClusters)),
      ("initial_opinion_variance", .double(run.initial.variance)),
      ("initial_mean_opinion", .double(run.initial.mean)),
      ("initial_within_epsilon_share", .double(run.initial.withinShare)),
    ]
    let (segmentColumns, segmentRows) = segmentTable(
      population, ids: ids, columns: ["mean_opinion", "opinion_variance", "initial_mean_opinion"]
    ) { s, range in
      let (own, mean) = segmentValues(run.opinion, range)
      let variance = own.isEmpty ? .nan : own.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(own.count)
      let start = segmentValues(run.initialOpinion, range).mean
      summary += [("mean_opinion_\(population.segments[s].name.snakeCased)", .double(mean))]
      return [.double(mean), .double(variance), .double(start)]
    }
    let stepRows: [[Cell]] = run.steps.map { step in
      ids.map(\.1) + [
        .int(step.step), .double(Double(step.step)), .int(step.clusters), .int(step.majorClusters),
        .double(step.largestShare), .double(step.variance), .double(step.mean), .double(step.withinShare),
        .double(step.maxChange), .int(step.interactions), .int(step.agreements),
      ]
    }
    // Every agent at the end: its first and last opinion and its cluster (`opinions.csv`).
    let names = population.segments.map { Cell.string($0.name) }
    let cluster = run.clusterOfAgents()
    let opinionRows: [[Cell]] = (0..<n).map { i in
      ids.map(\.1) + [
        .int(i), names[Int(population.segment[i])], .double(run.initialOpinion[i]), .double(run.opinion[i]),
        .int(cluster[i]),
      ]
    }
    var tables: [(name: String, columns: [String], rows: [[Cell]])] = [
      (
        name: "opinions",
        columns: ["run_index", "seed", "agent_id", "segment", "initial_opinion", "opinion", "cluster"],
        rows: opinionRows
      )
    ]
    if let network = run.network { tables.append(network.edgeTable(ids: ids.map(\.1))) }
    return RunResult(
      summary: summary,
      stepColumns: [
        "run_index", "seed", "step", "time", "clusters", "major_clusters", "largest_cluster_share",
        "opinion_variance", "mean_opinion", "within_epsilon_share", "max_change", "interactions", "agreements",
      ], stepRows: stepRows,
      segmentColumns: segmentColumns, segmentRows: segmentRows, population: population,
      payoffs: payoffs, interactions: run.met.map { Int32(clamping: $0) }, seconds: seconds,
      headline: ["major_clusters", "largest_cluster_share", "opinion_variance", "converged_step"],
      countColumn: "interactions",
      tables: tables)
  }
}
