import AgoraCore
import Foundation

/// The result tables of the commons: summary, steps, segments and villages.
extension Experiment {
  static func result(of run: CommonsRun, spec: ScenarioSpec, runIndex: Int, seconds: Double) -> RunResult {
    let c = CommonsRun.parameters(spec).commons
    let months = spec.game.rounds
    let ids = identifiers(spec, runIndex)
    let population = run.population
    let villages = run.stock.count
    let alive = run.collapsedAt.filter { $0 == nil }.count
    let perMonth = c.regrowth == .doubling ? c.capacity / 2 : c.growthRate * c.capacity / 4
    let gains = run.gains
    let totalGain = gains.reduce(0, +)
    let govsim = GovSimMetrics(run, months: months, stock: c.stock)
    var summary = header(spec, runIndex, population.count)
    summary += [
      ("village_size", .int(c.villageSize)), ("stock", .double(c.stock)), ("capacity", .double(c.capacity)),
      ("threshold", .double(c.threshold)), ("regrowth", .string(c.regrowth.rawValue)),
      ("max_harvest", .int(c.maxHarvest)),
      ("audit_rate", .double(c.auditRate)), ("fine", .double(c.fine)), ("migration_rate", .double(c.migrationRate)),
      ("turnover_rate", .double(c.turnoverRate)), ("drought_rate", .double(c.droughtRate)),
      ("villages", .int(villages)),
      ("survival_rate", .double(Double(alive) / Double(villages))),
      ("mean_survival_months", .double(run.total.survivalMonths / Double(villages))),
      ("share_collapsed", .double(Double(villages - alive) / Double(villages))), ("total_gain", .double(totalGain)),
      ("efficiency", .double(run.total.harvested / (Double(villages) * Double(months) * perMonth))),
      ("over_usage_rate", .double(run.total.overUsageRate)),
      ("equality", .double((try? 1 - Inequality.gini(gains.map { max(0, $0) })) ?? .nan)),
      ("mean_gain", .double(totalGain / Double(population.count))), ("fines", .double(run.total.fines)),
      ("droughts", .int(run.total.droughts)), ("departures", .int(run.total.departures)),
      ("arrivals", .int(run.total.arrivals)), ("mean_payoff", .double(totalGain / Double(population.count))),
      ("allocation", .string(c.allocation.rawValue)), ("universalization", .int(c.universalization ? 1 : 0)),
      ("govsim_efficiency", .double(govsim.efficiency)), ("govsim_equality", .double(govsim.equality)),
      ("over_usage", .double(govsim.overUsage)), ("survival_time", .double(govsim.survivalTime)),
      ("govsim_survival_rate", .double(govsim.survivalRate)),
    ]
    summary += inequality(gains).filter { $0.0 != "equality" }.map { ($0.0, .double($0.1)) }
    let (segmentColumns, segmentRows) = segmentTable(
      population, ids: ids, columns: ["mean_payoff", "gini", "over_usage_rate", "harvests"]
    ) { s, range in
      let (own, mean) = segmentValues(gains, range)
      let key = population.segments[s].name.snakeCased
      summary.append(("mean_payoff_\(key)", .double(mean)))
      summary.append(("over_usage_rate_\(key)", .double(run.bySegment[s].overUsageRate)))
      return [
        .double(mean), .double((try? Inequality.gini(own)) ?? .nan), .double(run.bySegment[s].overUsageRate),
        .int(run.bySegment[s].harvests),
      ]
    }
    let stepRows: [[Cell]] = run.steps.map { step in
      ids.map(\.1) + [
        .int(step.month), .double(Double(step.month)), .int(step.alive), .double(step.stock),
        .double(step.tally.harvested), .double(step.tally.overUsageRate), .double(step.quota),
        .int(step.tally.collapses), .int(step.tally.departures), .double(step.gini),
      ]
    }
    var result = RunResult(
      summary: summary,
      stepColumns: [
        "run_index", "seed", "step", "time", "villages_alive", "total_stock", "harvested", "over_usage_rate",
        "mean_quota", "collapses", "departures", "gini",
      ], stepRows: stepRows,
      segmentColumns: segmentColumns, segmentRows: segmentRows, population: population,
      payoffs: gains, interactions: [Int32](repeating: Int32(months), count: population.count), seconds: seconds,
      headline: ["survival_rate", "over_usage_rate", "mean_survival_months"], countColumn: "villages",
      tables: [
        (
          "villages",
          [
            "run_index", "seed", "village", "members", "survived", "survival_months", "stock", "quota", "gain",
            "govsim_efficiency", "govsim_equality", "over_usage",
          ],
          run.stock.indices.map { v in
            ids.map(\.1) + [
              .int(v), .int(run.villageMembers[v].count), .int(run.collapsedAt[v] == nil ? 1 : 0),
              .int(run.collapsedAt[v] ?? months), .double(run.stock[v]), .double(run.villageQuota[v]),
              .double(run.villageGains[v]), .double(govsim.villages[v].efficiency),
              .double(govsim.villages[v].equality), .double(govsim.villages[v].overUsage),
            ]
          }
        )
      ])
    if spec.output.agents {
      result.agentValues = [(CommonsRun.villageColumn, run.villageOf.map { $0 >= 0 ? Double($0) : .nan })]
    }
    return result
  }
}
