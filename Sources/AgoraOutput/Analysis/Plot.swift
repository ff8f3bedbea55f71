import AgoraCore
import AgoraLanguageModel
import Foundation

/// Charts of result CSVs: means with confidence intervals across runs (a sweep's summary.csv), or time series (a
/// run's steps.csv), one series per y column and group.
public enum Plot {
  /// A chart of `y` columns against `x`, one series per `by` value. Where several rows share an x (and group), the
  /// points are their means with `level` confidence intervals (bars for up to 12 x values, bands beyond); otherwise
  /// the rows are drawn as lines. An x column that is not all finite numbers becomes a categorical axis; empty y cells
  /// are left out, and any other y cell that is not a finite number is an error naming its line. Linear in the rows;
  /// lines longer than the plot has pixels are drawn thinned to them (``Chart/thinsLines``).
  public static func chart(
    _ table: CSVTable, x: String, y: [String], by: String? = nil, title: String? = nil, level: Double = 0.95
  ) throws(OutputError) -> Chart {
    let xi = try table.index(of: x)
    let yi = try y.map { c throws(OutputError) in try table.index(of: c) }
    let bi = try by.map { c throws(OutputError) in try table.index(of: c) }
    let rows = table.rows
    // Each row's x as the index of its value among the distinct ones (in order of first appearance): one hash a
    // row, then arrays indexed by it, so that a time series of as many x values as rows is linear in the rows.
    var categories: [String] = []
    var categoryIndex: [String: Int] = [:]
    var xOf = [Int](repeating: 0, count: rows.count)
    for (r, row) in rows.enumerated() {
      if let c = categoryIndex[row[xi]] {
        xOf[r] = c
      } else {
        xOf[r] = categories.count
        categoryIndex[row[xi]] = categories.count
        categories.append(row[xi])
      }
    }
    let numbers = categories.map(CSVTable.finiteNumber)
    let numeric = numbers.allSatisfy { $0 != nil }
    var groups: [String] = []
    var rowsOfGroup: [String: [Int]] = [:]
    for (r, row) in rows.enumerated() {
      let g = bi.map { row[$0] } ?? ""
      if rowsOfGroup[g] == nil { groups.append(g) }
      rowsOfGroup[g, default: []].append(r)
    }
    var series: [Chart.Series] = []
    var repeated = false
    // Per x value: its rows' count in the current group and, once counted, where its values start in `grouped`
    // (reset after each group for the x values it touched only).
    var count = [Int](repeating: 0, count: categories.count)
    var offset = [Int](repeating: 0, count: categories.count)
    var next = [Int](repeating: 0, count: categories.count)
    for (column, index) in zip(y, yi) {
      for g in groups {
        // The group's values in row order and their x values, then the values of each x together (a counting
        // sort, stable: each x's values stay in row order), x values in order of first appearance.
        var xs: [Int] = []
        var values: [Double] = []
        var order: [Int] = []
        for r in rowsOfGroup[g]! where !rows[r][index].isEmpty {
          let v = try table.number(row: r, column: index)
          let c = xOf[r]
          if count[c] == 0 { order.append(c) }
          count[c] += 1
          xs.append(c)
          values.append(v)
        }
        var start = 0
        for c in order {
          offset[c] = start
          next[c] = start
          start += count[c]
          if count[c] > 1 { repeated = true }
        }
        var grouped = [Double](repeating: 0, count: values.count)
        for (c, v) in zip(xs, values) {
          grouped[next[c]] = v
          next[c] += 1
        }
        var points = order.map { c -> Chart.Point in
          let position = numeric ? numbers[c]! : Double(c)
          guard count[c] > 1 else { return Chart.Point(x: position, y: grouped[offset[c]]) }
          let s = Summary.describe(Array(grouped[offset[c]..<(offset[c] + count[c])]), level: level)
          return Chart.Point(x: position, y: s.mean, low: s.low, high: s.high)
        }
        for c in order { count[c] = 0 }
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
    chart.thinsLines = true
    return chart
  }
}
