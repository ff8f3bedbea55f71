import AgoraCore
import AgoraOutput
import Foundation

/// The self-contained HTML page of a merged sweep (`report.html`): what was swept, each chosen metric's mean with its
/// 95% confidence interval against each swept parameter, the design points' table, the missing runs and links to the
/// runs re-run alone. Inline SVG and CSS, no scripts, no network; reading `summary.csv` is linear in the runs.
struct SweepReport: Sendable {
  /// The confidence level of the intervals.
  static let level = 0.95
  /// The most design points the points table lists (summary.csv holds them all).
  static let tableLimit = 1000
  /// The most values of a second swept parameter drawn as series of one chart.
  static let seriesLimit = 6
  /// The most x positions a chart draws: a numeric parameter with more distinct values is binned.
  static let positionLimit = 60
  /// The bins of a numeric parameter that has more than ``positionLimit`` distinct values.
  static let binCount = 30
  /// The most runs re-run alone that the report links to.
  static let linkLimit = 500

  let plan: SweepPlan
  /// The declarations of summary.csv's columns, by name.
  let declared: [String: Column]
  /// The metrics charted and tabulated, in order, and why these, in words.
  let metrics: [String]
  let metricChoice: String
  /// Each summary row's design point, and each metric's value in each row (NaN where the cell is empty).
  let rowPoint: [Int]
  let rowValues: [[Double]]
  /// The rows of each design point, in row (run) order: `pointRows[pointStart[p]..<pointStart[p + 1]]`.
  let pointRows: [Int]
  let pointStart: [Int]
  /// The runs with no row (unfinished when merged with `allowMissing`).
  let missing: [Int]
  /// The runs re-run alone into `runs/run-<i>/`, and whether each wrote its report.
  let rerun: [(index: Int, hasReport: Bool)]
  /// The base scenario's name and model, when its stored text still loads.
  let scenarioName: String?
  let model: String?

  /// Reads `directory/summary.csv` (the columns of `metrics` only) for the report of `plan`, whose summary columns
  /// are declared by `columns` (empty when no run finished) and whose `missing` runs have no row.
  init(
    directory: String, plan: SweepPlan, columns: [Column], base: (model: RegisteredModel, spec: ScenarioSpec)?,
    missing: [Int]
  ) throws(SweepError) {
    self.plan = plan
    self.missing = missing
    scenarioName = base?.spec.name
    model = base?.model.type.rawValue
    declared = Dictionary(columns.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    (metrics, metricChoice) = SweepReport.chooseMetrics(plan: plan, columns: columns, base: base)
    var rowPoint: [Int] = []
    var rowValues = [[Double]](repeating: [], count: metrics.count)
    let path = directory + "/summary.csv"
    if !columns.isEmpty && FileManager.default.fileExists(atPath: path) {
      do {
        let table = try CSVTable(contentsOf: path, keeping: ["point"] + metrics)
        let pointColumn = try table.columnIndex("point")
        let metricColumns = try metrics.map { m throws(OutputError) in try table.columnIndex(m) }
        rowPoint.reserveCapacity(table.rows.count)
        for row in table.rows {
          guard let p = Int(row[pointColumn]), plan.points.indices.contains(p) else { continue }
          rowPoint.append(p)
          for (k, c) in metricColumns.enumerated() { rowValues[k].append(CSVTable.finiteNumber(row[c]) ?? .nan) }
        }
      } catch {
        throw .output(error)
      }
    }
    self.rowPoint = rowPoint
    self.rowValues = rowValues
    // A counting sort of the rows by point, stable: each point's rows stay in run order.
    var start = [Int](repeating: 0, count: plan.points.count + 1)
    for p in rowPoint { start[p + 1] += 1 }
    for p in plan.points.indices { start[p + 1] += start[p] }
    var next = start
    var rows = [Int](repeating: 0, count: rowPoint.count)
    for (r, p) in rowPoint.enumerated() {
      rows[next[p]] = r
      next[p] += 1
    }
    pointRows = rows
    pointStart = start
    rerun = SweepReport.rerunFolders(in: directory, runCount: plan.runCount)
  }

  /// Writes the report to `directory/report.html` (atomically) and returns its file name.
  static func write(
    directory: String, plan: SweepPlan, columns: [Column], base: (model: RegisteredModel, spec: ScenarioSpec)?,
    missing: [Int]
  ) throws(SweepError) -> String {
    let report = try SweepReport(directory: directory, plan: plan, columns: columns, base: base, missing: missing)
    do { try writeAtomically(Data(report.html().utf8), to: "\(directory)/report.html") } catch { throw .output(error) }
    return "report.html"
  }

  /// The runs with a folder `runs/run-<i>/` (re-run alone with `agora run --from-sweep`), in order.
  static func rerunFolders(in directory: String, runCount: Int) -> [(index: Int, hasReport: Bool)] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory + "/runs")) ?? []
    return names.compactMap { name -> Int? in
      guard name.hasPrefix("run-"), let i = Int(name.dropFirst(4)), (0..<runCount).contains(i) else { return nil }
      return i
    }.sorted().map { i in (i, FileManager.default.fileExists(atPath: "\(directory)/runs/run-\(i)/report.html")) }
  }

  /// The values of metric `k` at design point `p` that are numbers, in run order.
  func values(_ k: Int, at p: Int) -> [Double] {
    pointRows[pointStart[p]..<pointStart[p + 1]].map { rowValues[k][$0] }.filter { !$0.isNaN }
  }

  /// The runs with a row at design point `p`.
  func runs(at p: Int) -> Int { pointStart[p + 1] - pointStart[p] }

  /// A column's label with its declared unit: `stake (payoff)`.
  func label(_ name: String) -> String {
    guard let unit = declared[name]?.unit, !unit.isEmpty else { return name }
    return "\(name) (\(unit))"
  }

  /// The whole page.
  func html() -> String {
    let title = Chart.escape(plan.name)
    return """
      <!DOCTYPE html>
      <html lang="en"><head><meta charset="utf-8">
      <title>\(title) — Agora sweep report</title>
      <style>
      body { font-family: Helvetica, Arial, sans-serif; margin: 24px auto; max-width: 1320px; padding: 0 16px;
        color: #222; }
      h1 { margin-bottom: 4px; } .lead { color: #555; margin-top: 0; } .note { color: #555; font-size: 14px; }
      section { margin: 28px 0; } h2 { border-bottom: 1px solid #ddd; padding-bottom: 4px; }
      table { border-collapse: collapse; font-size: 13px; margin-bottom: 12px; }
      td, th { border: 1px solid #ddd; padding: 3px 8px; text-align: right; white-space: nowrap; }
      th { background: #f4f4f4; position: sticky; top: 0; } td:first-child, th:first-child { text-align: left; }
      table.text td, table.text th { text-align: left; white-space: normal; }
      .wide { overflow: auto; max-height: 640px; max-width: 100%; }
      figure { margin: 8px 0 20px; } figure svg { width: 100%; height: auto; display: block; }
      ul.runs { columns: 4; font-size: 13px; }
      </style></head>
      <body>
      \(header())\(parameterCharts())\(pointsTable())\(missingRuns())\(runLinks())
      </body></html>

      """
  }

  /// `<section>` with a heading, as the run report has them.
  static func section(_ title: String, id: String, _ content: String) -> String {
    "<section id=\"\(id)\"><h2>\(Chart.escape(title))</h2>\n\(content)</section>\n"
  }

  /// A number for a table cell: six significant digits.
  static func short(_ value: Double) -> String { value.isFinite ? String(format: "%.6g", value) : "" }

  /// A number as exactly as it reads back (a tooltip, a `title`): the shortest round-trip form.
  static func exact(_ value: Double) -> String { value.isFinite ? value.valueText : "" }
}
