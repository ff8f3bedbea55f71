import AgoraCore
import AgoraLanguageModel
import Foundation

/// Charts of result CSVs: means with confidence intervals across runs (a sweep's summary.csv), or time series (a
/// run's steps.csv), one series per y column and group.
public enum Plot {
  /// A chart of `y` columns against `x`, one series per `by` value. Where several rows share an x (and group), the
  /// points are their means with `level` confidence intervals (bars for up to 12 x values, bands beyond); otherwise
  /// the rows are drawn as lines. An x column that is not all finite numbers becomes a categorical axis; empty y cells
  /// are left out, and any other y cell that is not a finite number is an error naming its line.
  public static func chart(
    _ table: CSVTable, x: String, y: [String], by: String? = nil, title: String? = nil, level: Double = 0.95
  ) throws(OutputError) -> Chart {
    let xi = try table.index(of: x)
    let yi = try y.map { c throws(OutputError) in try table.index(of: c) }
    let bi = try by.map { c throws(OutputError) in try table.index(of: c) }
    let numeric = table.rows.allSatisfy { CSVTable.finiteNumber($0[xi]) != nil }
    // Dictionaries, not list searches: a time series has as many x values as rows (linear in the rows).
    var categories: [String] = []
    var categoryIndex: [String: Int] = [:]
    for row in table.rows where categoryIndex[row[xi]] == nil {
      categoryIndex[row[xi]] = categories.count
      categories.append(row[xi])
    }
    var groups: [String] = []
    var rowsOfGroup: [String: [Int]] = [:]
    for (r, row) in table.rows.enumerated() {
      let g = bi.map { row[$0] } ?? ""
      if rowsOfGroup[g] == nil { groups.append(g) }
      rowsOfGroup[g, default: []].append(r)
    }
    var series: [Chart.Series] = []
    var repeated = false
    for (column, index) in zip(y, yi) {
      for g in groups {
        var byX: [String: [Double]] = [:]
        var order: [String] = []
        for r in rowsOfGroup[g]! where !table.rows[r][index].isEmpty {
          let row = table.rows[r]
          let v = try table.number(row: r, column: index)
          if byX[row[xi]] == nil { order.append(row[xi]) }
          byX[row[xi], default: []].append(v)
        }
        if byX.values.contains(where: { $0.count > 1 }) { repeated = true }
        var points = order.map { key -> Chart.Point in
          let position = numeric ? CSVTable.finiteNumber(key)! : Double(categoryIndex[key]!)
          let values = byX[key]!
          guard values.count > 1 else { return Chart.Point(x: position, y: values[0]) }
          let s = Summary.describe(values, level: level)
          return Chart.Point(x: position, y: s.mean, low: s.low, high: s.high)
        }
        points.sort { $0.x < $1.x }
        var name = y.count > 1 ? column : (by == nil ? column : "")
        if let by { name += (name.isEmpty ? "" : ", ") + "\(by)=\(g)" }
        let style: Chart.Style = repeated && points.count <= 12 ? .points : .line
        series.append(Chart.Series(name: name, points: points, style: style))
      }
    }
    let percent = String(format: "%g", level * 100)
    let yLabel = (y.count == 1 ? y[0] : "value") + (repeated ? " (mean, \(percent)% CI)" : "")
    var chart = Chart(
      title: title ?? "\(y.joined(separator: ", ")) by \(x)\(by.map { " and \($0)" } ?? "")", xLabel: x, yLabel: yLabel,
      series: series)
    if !numeric { chart.categories = categories }
    return chart
  }
}
