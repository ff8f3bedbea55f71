import AgoraCore
import AgoraOutput
import AgoraScenario
import AgoraSweep

/// One published number a preset should reproduce: a row of `Validation/*_targets.csv`.
public struct ValidationTarget: Sendable, Equatable {
  /// The preset the row is for (`nil` in `human_targets.csv`, whose rows are all for `human`).
  public var preset: String?
  public var game: String
  public var statistic: String
  public var condition: String
  public var target: Double
  public var tolerance: Double
  public var source: String

  /// Reads a targets file (columns `[preset,]game,statistic,condition,target,tolerance,source[,status]`).
  public static func load(_ path: String) throws(OutputError) -> [ValidationTarget] {
    let table = try CSVTable(contentsOf: path)
    func column(_ name: String) throws(OutputError) -> Int {
      guard let i = table.columns.firstIndex(of: name) else {
        throw .missingColumn(
          path: path, reason: "no column '\(name)'; columns: \(table.columns.joined(separator: ", "))")
      }
      return i
    }
    let preset = table.columns.firstIndex(of: "preset")
    let game = try column("game")
    let statistic = try column("statistic")
    let condition = try column("condition")
    let target = try column("target")
    let tolerance = try column("tolerance")
    let source = try column("source")
    var targets: [ValidationTarget] = []
    for (r, row) in table.rows.enumerated() {
      let t = try table.number(row: r, column: target)
      let tol = try table.number(row: r, column: tolerance)
      targets.append(
        ValidationTarget(
          preset: preset.map { row[$0] }, game: row[game], statistic: row[statistic], condition: row[condition],
          target: t, tolerance: tol, source: row[source]))
    }
    return targets
  }
}
