import AgoraCore
import AgoraLanguageModel
import CGSL
import Foundation

/// Group-by summaries of a CSV table: per group and metric, n, mean, standard deviation and a t-based confidence
/// interval of the mean. Empty cells (undefined values) are left out of n; any other cell that is not a finite
/// number (text, `inf`, `nan`) is an error naming its line and column.
public enum Summary {
  /// One group's statistics of one metric.
  public struct Row: Sendable, Equatable {
    /// The group's values of the grouping columns.
    public var group: [String]
    public var metric: String
    public var n: Int
    public var mean: Double
    /// Sample standard deviation (n - 1); NaN for n < 2.
    public var sd: Double
    /// The confidence interval of the mean, `mean -/+ t(1 - alpha/2, n - 1) sd / sqrt(n)`; NaN for n < 2.
    public var low: Double
    public var high: Double
  }

  /// Summarises `metrics` of `table` by the columns `by` (groups in order of first appearance; none: one group).
  public static func table(_ table: CSVTable, by: [String], metrics: [String], level: Double = 0.95) throws(OutputError)
    -> [Row]
  {
    let byIndex = try by.map { c throws(OutputError) in try table.index(of: c) }
    let metricIndex = try metrics.map { c throws(OutputError) in try table.index(of: c) }
    var order: [[String]] = []
    var rowsOf: [[String]: [Int]] = [:]
    for (r, row) in table.rows.enumerated() {
      let key = byIndex.map { row[$0] }
      if rowsOf[key] == nil { order.append(key) }
      rowsOf[key, default: []].append(r)
    }
    var out: [Row] = []
    for key in order {
      for (m, column) in zip(metrics, metricIndex) {
        var values: [Double] = []
        for r in rowsOf[key]! where !table.rows[r][column].isEmpty {
          values.append(try table.number(row: r, column: column))
        }
        out.append(describe(values, group: key, metric: m, level: level))
      }
    }
    return out
  }

  /// The statistics of `values`.
  public static func describe(_ values: [Double], group: [String] = [], metric: String = "", level: Double = 0.95)
    -> Row
  {
    let n = values.count
    let mean = n > 0 ? values.reduce(0, +) / Double(n) : .nan
    guard n >= 2 else { return Row(group: group, metric: metric, n: n, mean: mean, sd: .nan, low: .nan, high: .nan) }
    let ss = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
    let sd = (ss / Double(n - 1)).squareRoot()
    let half = tQuantile(1 - (1 - level) / 2, degrees: Double(n - 1)) * sd / Double(n).squareRoot()
    return Row(group: group, metric: metric, n: n, mean: mean, sd: sd, low: mean - half, high: mean + half)
  }

  /// The quantile of Student's t distribution (GSL's `gsl_cdf_tdist_Pinv`).
  public static func tQuantile(_ p: Double, degrees: Double) -> Double { gsl_cdf_tdist_Pinv(p, degrees) }
}

extension CSVTable {
  /// The index of `column`, or an error naming the file and listing the columns.
  public func index(of column: String) throws(OutputError) -> Int {
    guard let i = columns.firstIndex(of: column) else {
      let guess = nearest(column, in: columns).map { "; did you mean '\($0)'?" } ?? ""
      throw .missingColumn(
        path: source, reason: "no column '\(column)'\(guess) Available: \(columns.joined(separator: ", "))")
    }
    return i
  }
}
