import AgoraCore
import Foundation

/// The result tables of the polity: summary, steps and segments.
extension Experiment {
  static func result(of run: PolityRun, spec: ScenarioSpec, runIndex: Int, seconds: Double) -> RunResult {
    let ids = identifiers(spec, runIndex)
    let population = run.population
    let n = population.count
    let p = PolityRun.parameters(spec).polity
    let totals = run.wealth
    let equality = (try? 1 - Inequality.gini(totals.map { max(0, $0) })) ?? .nan
    let mean = run.prices.isEmpty ? Double.nan : run.prices.reduce(0, +) / Double(run.prices.count)
    let opinions = PolityRun.moments(run.opinion)
    var summary = header(spec, runIndex, n)
    summary += [
      ("households", .int(n)), ("tax_period", .int(p.taxPeriod)), ("productivity", .double(run.productivity)),
      ("equality", .double(equality)), ("equality_x_productivity", .double(equality * run.productivity)),
      ("trade_volume", .double(run.tradeVolume)), ("trades", .int(run.prices.count)), ("mean_price", .double(mean)),
      ("price_dispersion", .double(PolityRun.dispersion(run.prices))), ("opinion_variance", .double(opinions.variance)),
      ("bimodality", .double(opinions.bimodality)), ("schedule", .int(run.schedule)),
      ("top_rate", .double(p.schedules[run.schedule].last ?? .nan)), ("mean_labour", .double(run.meanLabour)),
      ("tax_revenue", .double(run.revenue)), ("mrs_crossings", .int(run.crossings)),
      ("mean_payoff", .double(totals.reduce(0, +) / Double(n))),
    ]
    summary += inequality(totals).filter { $0.0 != "equality" }.map { ($0.0, .double($0.1)) }
    let (segmentColumns, segmentRows) = segmentTable(
      population, ids: ids, columns: ["mean_payoff", "gini", "mean_opinion"]
    ) { s, range in
      let (own, m) = segmentValues(totals, range)
      let o = segmentValues(run.opinion, range).mean
      let key = population.segments[s].name.snakeCased
      summary += [("mean_payoff_\(key)", .double(m)), ("mean_opinion_\(key)", .double(o))]
      return [.double(m), .double((try? Inequality.gini(own.map { max(0, $0) })) ?? .nan), .double(o)]
    }
    let stepRows: [[Cell]] = run.steps.map { t in
      ids.map(\.1) + [
        .int(t.period), .double(Double(t.period)), .double(t.income), .double(t.gini), .double(t.volume),
        .double(t.price), .double(t.dispersion), .double(t.variance), .double(t.bimodality), .int(t.schedule),
      ]
    }
    return RunResult(
      summary: summary,
      stepColumns: [
        "run_index", "seed", "step", "time", "productivity", "gini", "trade_volume", "mean_price", "price_dispersion",
        "opinion_variance", "bimodality", "schedule",
      ], stepRows: stepRows,
      segmentColumns: segmentColumns, segmentRows: segmentRows, population: population,
      payoffs: totals, interactions: [Int32](repeating: Int32(spec.game.rounds), count: n), seconds: seconds,
      headline: ["equality", "productivity", "price_dispersion", "opinion_variance"], countColumn: "households")
  }
}
