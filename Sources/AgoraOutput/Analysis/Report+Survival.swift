import AgoraCore
import Foundation

extension Report {
  /// One step of a Kaplan-Meier curve: at the end of `month`, the share still surviving, the villages at risk in
  /// that month and those that collapsed in it.
  struct SurvivalStep: Equatable {
    var month: Int
    var surviving: Double
    var atRisk: Int
    var collapsed: Int
  }

  /// The Kaplan-Meier estimate `S(t) = prod_{m <= t} (1 - d_m / n_m)` from each unit's survival time and whether it
  /// ended (GovSim's `KaplanMeierFitter` in `simulation/analysis/plots.py`): a unit that did not end is censored at
  /// its time. Month 0 is the start (S = 1, everyone at risk).
  static func kaplanMeier(times: [Int], ended: [Bool], horizon: Int) -> [SurvivalStep] {
    var deaths = [Int](repeating: 0, count: horizon + 2)
    var leaving = [Int](repeating: 0, count: horizon + 2)
    for (t, e) in zip(times, ended) {
      let m = min(max(t, 0), horizon + 1)
      leaving[m] += 1
      if e { deaths[m] += 1 }
    }
    var steps = [SurvivalStep(month: 0, surviving: 1, atRisk: times.count, collapsed: 0)]
    var (atRisk, surviving) = (times.count, 1.0)
    for month in 1...max(1, horizon) {
      if atRisk > 0 { surviving *= 1 - Double(deaths[month]) / Double(atRisk) }
      steps.append(SurvivalStep(month: month, surviving: surviving, atRisk: atRisk, collapsed: deaths[month]))
      atRisk -= leaving[month]
    }
    return steps
  }

  /// The commons' Kaplan-Meier survival curve from `villages.csv` (`survival_months`, `survived`): the share of
  /// villages surviving by month as a step line, each month's number at risk and collapses in its tooltip; `nil`
  /// for a run without that table.
  static func survivalCurve(_ result: RunResult) -> String? {
    guard let villages = result.tables.first(where: { $0.name == "villages" }),
      let tc = villages.columns.firstIndex(of: "survival_months"),
      let sc = villages.columns.firstIndex(of: "survived"), !villages.rows.isEmpty
    else { return nil }
    var times: [Int] = []
    var ended: [Bool] = []
    for row in villages.rows {
      guard case .int(let t) = row[tc], case .int(let survived) = row[sc] else { continue }
      times.append(t)
      ended.append(survived == 0)
    }
    let horizon = times.max() ?? 0
    let steps = kaplanMeier(times: times, ended: ended, horizon: horizon)
    var line: [Chart.Point] = []
    for (k, step) in steps.enumerated() {
      if k > 0 { line.append(Chart.Point(x: Double(step.month), y: steps[k - 1].surviving)) }
      line.append(Chart.Point(x: Double(step.month), y: step.surviving))
    }
    let marks = steps.map { step in
      Chart.Point(
        x: Double(step.month), y: step.surviving,
        label: String(
          format: "month %d: %.4g surviving; %d at risk, %d collapsed", step.month, step.surviving, step.atRisk,
          step.collapsed))
    }
    var chart = Chart(
      title: "Kaplan-Meier survival of the villages", xLabel: "month", yLabel: "share of villages surviving",
      series: [
        Chart.Series(name: "survival S(t)", points: line),
        Chart.Series(name: "month (hover: at risk)", points: marks, style: .markers),
      ])
    chart.includeZero = true
    let last = steps.last!
    return "<p>The share of the \(times.count) villages whose lake has not collapsed by the end of each month "
      + "(Kaplan-Meier, as GovSim plots it; a village alive at the horizon is censored there): "
      + String(format: "%.4g", last.surviving) + " at month \(last.month). Hover a point for the villages at risk."
      + "</p>\n" + chart.svg() + "\n"
  }
}
