import AgoraCore
import AgoraOutput
import Foundation

/// The report's text sections: the plan, the design points, the missing runs and the runs re-run alone.
extension SweepReport {
  /// The title, a summary line and the tables of the plan and of its parameters.
  func header() -> String {
    let design = plan.design == .grid ? "grid" : "\(plan.design.rawValue) (\(plan.samples) samples)"
    var out = "<h1>\(Chart.escape(plan.name))</h1>\n"
    out +=
      "<p class=\"lead\">A sweep of \(Chart.escape(scenarioName ?? plan.scenarioFile))"
      + (model.map { " (\(Chart.escape($0)))" } ?? "") + ": \(plan.design.rawValue) design"
      + (plan.design == .grid ? ", " : " of \(plan.samples) samples, ")
      + "\(plan.points.count) design points × \(plan.repetitions) repetitions = \(plan.runCount) runs, "
      + "seed \(plan.seed), Agora \(Chart.escape(plan.agoraVersion)).</p>\n"
    var items: [[String]] = [
      ["scenario", scenarioName.map { "\($0) (\(plan.scenarioFile))" } ?? plan.scenarioFile],
      ["model", model ?? "(the stored scenario no longer loads)"],
      ["design", design], ["design points", String(plan.points.count)], ["repetitions", String(plan.repetitions)],
      ["runs", "\(plan.runCount) (\(plan.runCount - missing.count) finished)"], ["sweep seed", String(plan.seed)],
    ]
    if !plan.overrides.isEmpty { items.append(["fixed (--set)", plan.overrides.joined(separator: ", ")]) }
    let shown = metrics.isEmpty ? "none (summary.csv has no numeric metric)" : metrics.joined(separator: ", ")
    items += [["metrics shown", shown], ["chosen as", metricChoice], ["Agora", plan.agoraVersion]]
    if plan.agoraVersion != Experiment.version { items.append(["report written by Agora", Experiment.version]) }
    out += SweepReport.table(["item", "value"], items, id: "plan")
    guard !plan.parameters.isEmpty else {
      return out + "<p class=\"note\">No parameter is swept: the runs differ only in their seeds.</p>\n"
    }
    let units = plan.parameters.map { declared[$0.name]?.unit ?? "" }
    let withUnits = units.contains { !$0.isEmpty }
    let rows = zip(plan.parameters, units).map { p, unit in
      [p.name, p.key, SweepReport.domain(p.domain)] + (withUnits ? [unit] : [])
    }
    let header = ["parameter", "key", "values"] + (withUnits ? ["unit"] : [])
    return out + SweepReport.table(header, rows, id: "parameters")
  }

  /// A parameter's values in words: a grid's list (shortened beyond a dozen) or a sampled range.
  static func domain(_ domain: SweepParameter.Domain) -> String {
    switch domain {
    case .values(let values):
      guard values.count > 12 else { return values.joined(separator: ", ") }
      return values.prefix(10).joined(separator: ", ") + ", …, \(values.last!) (\(values.count) values)"
    case .range(let low, let high, let scale, let integer):
      return "sampled in [\(low.valueText), \(high.valueText)]" + (scale == .log ? ", log scale" : "")
        + (integer ? ", integers" : "")
    }
  }

  /// One row per design point (the first ``tableLimit``): its values, its runs, and each metric's mean and interval.
  func pointsTable() -> String {
    let percent = String(format: "%g", SweepReport.level * 100)
    var header = ["point"] + plan.parameters.map { label($0.name) } + ["runs"]
    for m in metrics { header += ["\(m) mean", "\(m) \(percent)% CI"] }
    let shown = min(plan.points.count, SweepReport.tableLimit)
    var html = "<div class=\"wide\"><table id=\"points\"><tr>"
    html += header.map { "<th>\(Chart.escape($0))</th>" }.joined() + "</tr>\n"
    for p in 0..<shown {
      html += "<tr data-point=\"\(p)\"><td>\(p)</td>"
      html += plan.points[p].map { "<td>\(Chart.escape($0))</td>" }.joined() + "<td>\(runs(at: p))</td>"
      for (k, m) in metrics.enumerated() {
        let s = Summary.describe(values(k, at: p), level: SweepReport.level)
        let interval = s.low.isFinite ? String(format: "[%.4g, %.4g]", s.low, s.high) : ""
        html +=
          "<td class=\"mean\" data-metric=\"\(Chart.escape(m))\" data-n=\"\(s.n)\" "
          + "title=\"\(SweepReport.exact(s.mean))\">\(SweepReport.short(s.mean))</td>"
          + "<td class=\"ci\" title=\"\(SweepReport.exact(s.low)) to \(SweepReport.exact(s.high))\">\(interval)</td>"
      }
      html += "</tr>\n"
    }
    html += "</table></div>\n"
    var note = "Each point's mean over its runs, with the t-based \(percent)% confidence interval of the mean "
    note += "(as <code>agora analyze summary.csv --by point</code> gives it); hover a mean for its exact value."
    if shown < plan.points.count {
      note += " The first \(shown) of \(plan.points.count) design points; summary.csv holds them all."
    }
    return SweepReport.section(
      "Design points", id: "design-points", "<p class=\"note\">\(note)</p>\n" + html)
  }

  /// The runs with no row, as index ranges; normally none, since only a complete sweep merges without
  /// `--allow-missing`.
  func missingRuns() -> String {
    guard !missing.isEmpty else {
      return SweepReport.section(
        "Missing or failed runs", id: "missing",
        "<p id=\"missing-runs\">None: all \(plan.runCount) runs finished and are merged.</p>\n")
    }
    var ranges: [String] = []
    var i = 0
    while i < missing.count && ranges.count < SweepReport.linkLimit {
      var j = i
      while j + 1 < missing.count && missing[j + 1] == missing[j] + 1 { j += 1 }
      ranges.append(i == j ? "\(missing[i])" : "\(missing[i])–\(missing[j])")
      i = j + 1
    }
    let more = i < missing.count ? ", …" : ""
    return SweepReport.section(
      "Missing or failed runs", id: "missing",
      "<p>\(missing.count) of \(plan.runCount) runs have no row: the sweep was merged with "
        + "<code>--allow-missing</code> before they finished (a run that fails stops its process). Run indices:</p>\n"
        + "<p id=\"missing-runs\">\(ranges.joined(separator: ", "))\(more)</p>\n")
  }

  /// Links to the runs re-run alone under `runs/` (their report, or their folder).
  func runLinks() -> String {
    guard !rerun.isEmpty else {
      return SweepReport.section(
        "Runs re-run alone", id: "runs",
        "<p class=\"note\">None yet: <code>agora run --from-sweep FOLDER --run-index I</code> re-runs run I alone "
          + "into <code>runs/run-I/</code>, with its steps, agents and report.</p>\n")
    }
    var items = ""
    for run in rerun.prefix(SweepReport.linkLimit) {
      let target = "runs/run-\(run.index)/" + (run.hasReport ? "report.html" : "")
      items +=
        "<li><a href=\"\(target)\">run \(run.index)</a> (point \(run.index / plan.repetitions), "
        + "repetition \(run.index % plan.repetitions))</li>\n"
    }
    let more =
      rerun.count > SweepReport.linkLimit
      ? "<p class=\"note\">and \(rerun.count - SweepReport.linkLimit) more.</p>\n" : ""
    return SweepReport.section("Runs re-run alone", id: "runs", "<ul class=\"runs\">\n\(items)</ul>\n" + more)
  }

  /// A table of text cells, left-aligned.
  static func table(_ header: [String], _ rows: [[String]], id: String) -> String {
    var html = "<table id=\"\(id)\" class=\"text\"><tr>"
    html += header.map { "<th>\(Chart.escape($0))</th>" }.joined() + "</tr>\n"
    for row in rows { html += "<tr>" + row.map { "<td>\(Chart.escape($0))</td>" }.joined() + "</tr>\n" }
    return html + "</table>\n"
  }
}
