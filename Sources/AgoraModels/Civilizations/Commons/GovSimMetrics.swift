import Foundation

/// GovSim's metrics as its paper defines them (Piatti et al. 2024, "Cooperate or Collapse") and its released code
/// computes them (`simulation/analysis/plots.py`: the Gini and survival months), per village (GovSim's run) and then
/// averaged over villages, as GovSim averages over runs. A village where a metric is undefined (nobody harvested)
/// is left out of that metric's mean.
public struct GovSimMetrics: Sendable {
  /// Mean over villages of `1 - max(0, T f(0) - R) / (T f(0))`: R the village's harvest over the run, T the
  /// months, f(0) = floor(S0 / 2) the village's sustainable harvest at the start (capped at 1 by construction).
  public var efficiency: Double
  /// Mean over villages of 1 - Gini of the members' gains (GovSim's `gini`).
  public var equality: Double
  /// Mean over villages of the share of harvests (of at least one unit) above GovSim's per-household threshold
  /// `floor(floor(S/2) / n)`, S the stock at the month's start.
  public var overUsage: Double
  /// Mean over villages of the survival time: the month a village collapsed in, or T.
  public var survivalTime: Double
  /// Share of villages whose survival time is T (GovSim's `#{m = 12} / #runs`: a collapse at the last month's end
  /// still counts as surviving).
  public var survivalRate: Double

  /// Each village's efficiency, equality and over-usage (NaN where undefined), in village order.
  public var villages: [(efficiency: Double, equality: Double, overUsage: Double)]

  /// The metrics of `run` over `months` months from a stock of `stock` per village.
  public init(_ run: CommonsRun, months: Int, stock: Double) {
    let sustainable = Double(months) * Foundation.floor(stock / 2)
    var rows: [(efficiency: Double, equality: Double, overUsage: Double)] = []
    rows.reserveCapacity(run.stock.count)
    for v in run.stock.indices {
      let efficiency = GovSimMetrics.efficiency(harvest: run.villageHarvested[v], sustainable: sustainable)
      let equality = 1 - GovSimMetrics.gini(run.villageMembers[v].map { run.gains[Int($0)] })
      let actions = run.villageActions[v]
      let overUsage = actions > 0 ? Double(run.villageOverUses[v]) / Double(actions) : .nan
      rows.append((efficiency, equality, overUsage))
    }
    villages = rows
    efficiency = GovSimMetrics.mean(rows.map(\.efficiency))
    equality = GovSimMetrics.mean(rows.map(\.equality))
    overUsage = GovSimMetrics.mean(rows.map(\.overUsage))
    let times = run.collapsedAt.map { Double($0 ?? months) }
    survivalTime = GovSimMetrics.mean(times)
    survivalRate = GovSimMetrics.mean(times.map { $0 >= Double(months) ? 1 : 0 })
  }

  /// GovSim's efficiency of a harvest against the sustainable total `T f(0)`; NaN when that is 0.
  public static func efficiency(harvest: Double, sustainable: Double) -> Double {
    sustainable > 0 ? 1 - max(0, sustainable - harvest) / sustainable : .nan
  }

  /// GovSim's Gini (`plots.py`, after StatsDirect): values shifted up by the smallest when one is negative, sorted,
  /// `sum((2i - n - 1) x_i) / (n sum x)`; NaN for no values or a zero sum (numpy's 0/0).
  public static func gini(_ values: [Double]) -> Double {
    guard !values.isEmpty else { return .nan }
    var x = values
    if let low = x.min(), low < 0 { x = x.map { $0 - low } }
    x.sort()
    let n = Double(x.count)
    var weighted = 0.0
    for (k, value) in x.enumerated() { weighted += (2 * Double(k + 1) - n - 1) * value }
    let total = x.reduce(0, +)
    return total > 0 ? weighted / (n * total) : .nan
  }

  /// The mean of the defined values (NaN if none), as pandas' `mean` skips missing ones.
  static func mean(_ values: [Double]) -> Double {
    var (sum, count) = (0.0, 0)
    for x in values where !x.isNaN {
      sum += x
      count += 1
    }
    return count > 0 ? sum / Double(count) : .nan
  }
}
