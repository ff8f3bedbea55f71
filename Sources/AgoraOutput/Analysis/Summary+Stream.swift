import AgoraCore
import Foundation

extension Summary {
  /// ``table(_:by:metrics:level:)`` of the CSV file at `path`, read a chunk at a time: memory holds each group's
  /// values of the metrics, not the file (a 1 GB agents.csv is summarised in the memory of its numbers). The same
  /// rows, in the same order, with the same errors.
  public static func stream(path: String, by: [String], metrics: [String], level: Double = 0.95) throws -> [Row] {
    var index: (by: [Int], metrics: [Int])? = nil
    var groups = CSVGroups()
    // Group g's values of metric m at g * metrics.count + m (one array level: no nested copy-on-write checks).
    var values: [[Double]] = []
    let columns = try CSVStream.rows(path: path, keeping: by + metrics) { columns, fields, line in
      if index == nil {
        let table = CSVTable(columns: columns, rows: [], source: path)
        index = (try by.map { try table.index(of: $0) }, try metrics.map { try table.index(of: $0) })
      }
      let (byIndex, metricIndex) = index!
      let g = groups.group(of: fields, at: byIndex)
      if g * metrics.count == values.count { values += Array(repeating: [], count: metrics.count) }
      for (m, c) in metricIndex.enumerated() where !fields.isEmpty(c) {
        guard let x = fields.finiteNumber(c) else {
          throw CSVTable.notANumber(path: path, line: line, column: metrics[m], cell: fields.string(c))
        }
        values[g * metrics.count + m].append(x)
      }
    }
    if index == nil {
      // No rows: the columns must still be there.
      let table = CSVTable(columns: columns, rows: [], source: path)
      for c in by + metrics { _ = try table.index(of: c) }
    }
    var out: [Row] = []
    for g in 0..<groups.count {
      let key = groups.names(g)
      for (m, metric) in metrics.enumerated() {
        out.append(describe(values[g * metrics.count + m], group: key, metric: metric, level: level))
      }
    }
    return out
  }

  /// The columns of the CSV file at `path` worth summarising, read a chunk at a time: those whose cells are all
  /// numbers or empty, with at least one number, apart from `excluded`; split into those whose numbers are all
  /// finite and the rest (`inf` or `nan` has no mean).
  public static func numericColumns(path: String, excluding excluded: Set<String>) throws -> (
    finite: [String], infinite: [String]
  ) {
    var numeric: [Bool] = []
    var finite: [Bool] = []
    var filled: [Bool] = []
    let columns = try CSVStream.rows(path: path, keeping: nil) { columns, fields, _ in
      if numeric.isEmpty {
        numeric = Array(repeating: true, count: columns.count)
        finite = numeric
        filled = Array(repeating: false, count: columns.count)
      }
      for i in 0..<fields.count where numeric[i] && !fields.isEmpty(i) {
        filled[i] = true
        guard let v = fields.number(i) else {
          numeric[i] = false
          continue
        }
        if !v.isFinite { finite[i] = false }
      }
    }
    var split: (finite: [String], infinite: [String]) = ([], [])
    for (i, name) in columns.enumerated() where i < numeric.count && numeric[i] && filled[i] && !excluded.contains(name)
    {
      if finite[i] { split.finite.append(name) } else { split.infinite.append(name) }
    }
    return split
  }
}
