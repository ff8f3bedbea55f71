import Agora
import ArgumentParser
import Foundation

/// `agora analyze`: group summaries with confidence intervals, or a one-hot OLS regression, of a result CSV.
struct AnalyzeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "analyze",
    abstract: "Summarise a result CSV by groups (n, mean, sd, 95% CI), or regress a metric on factors.",
    discussion: """
      agora analyze Results/sweep1/summary.csv --by temperature --metrics efficiency,gini
      agora analyze Results/glee/summary.csv --regress efficiency --factors delta_a,delta_b,stake,horizon \
      --baseline delta_a=0.9,delta_b=0.9 [--interactions delta_a:delta_b]
      """)

  @Argument(help: "A CSV file (a sweep's summary.csv, a run's steps.csv, ...).")
  var file: String

  @Option(help: "Comma-separated grouping columns.")
  var by: String?

  @Option(help: "Comma-separated metric columns (default: every numeric column that is not an id or grouping).")
  var metrics: String?

  @Option(help: "Regress this metric on --factors (one-hot, OLS).")
  var regress: String?

  @Option(help: "Comma-separated factor columns for --regress.")
  var factors: String?

  @Option(help: "Baseline levels for --regress, e.g. delta_a=0.9,stake=100 (default: each factor's first level).")
  var baseline: String?

  @Option(help: "Interaction terms for --regress, e.g. delta_a:delta_b (comma-separated).")
  var interactions: String?

  @Option(help: "Confidence level.")
  var level = 0.95

  @Option(help: "Output format: table, csv, markdown or json.")
  var format = "table"

  static func list(_ text: String?) -> [String] {
    (text ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
  }

  func validate() throws {
    guard ["table", "csv", "markdown", "json"].contains(format) else {
      throw ValidationError("--format must be table, csv, markdown or json")
    }
    guard level > 0 && level < 1 else { throw ValidationError("--level must be in (0, 1)") }
    if regress != nil && AnalyzeCommand.list(factors).isEmpty { throw ValidationError("--regress needs --factors") }
  }

  func run() throws {
    // The columns named are all that is kept; without --metrics, every column (the numeric ones are summarised).
    var named: [String]? = nil
    if let regress {
      named = [regress] + AnalyzeCommand.list(factors)
    } else if !AnalyzeCommand.list(metrics).isEmpty {
      named = AnalyzeCommand.list(by) + AnalyzeCommand.list(metrics)
    }
    let table = try fail(exit: 2) { try CSVTable(contentsOf: file, keeping: named) }
    if let regress {
      try regression(table, response: regress)
      return
    }
    let groups = AnalyzeCommand.list(by)
    var wanted = AnalyzeCommand.list(metrics)
    if wanted.isEmpty {
      let ids: Set<String> = ["run_index", "seed", "point", "repetition", "step", "time", "agent_id"]
      let numeric = table.columns.enumerated().filter { i, c in
        !ids.contains(c) && !groups.contains(c) && !table.rows.isEmpty
          && table.rows.allSatisfy { $0[i].isEmpty || Double($0[i]) != nil }
          && table.rows.contains { !$0[i].isEmpty }
      }
      let (finite, infinite) = numeric.reduce(into: ([String](), [String]())) { split, column in
        let (i, name) = column
        if table.rows.allSatisfy({ $0[i].isEmpty || CSVTable.finiteNumber($0[i]) != nil }) {
          split.0.append(name)
        } else {
          split.1.append(name)
        }
      }
      if !infinite.isEmpty {
        Terminal.note("not summarised (inf or nan has no mean): \(infinite.joined(separator: ", "))")
      }
      wanted = finite
    }
    let rows = try fail(exit: 2) { try Summary.table(table, by: groups, metrics: wanted, level: level) }
    let percent = String(format: "%g", level * 100)
    let header = groups + ["metric", "n", "mean", "sd", "ci\(percent)_low", "ci\(percent)_high"]
    let cells = rows.map { r in
      r.group + [r.metric, String(r.n)] + [r.mean, r.sd, r.low, r.high].map { Self.cell($0, format) }
    }
    print(Self.render(header, cells, format: format))
  }

  func regression(_ table: CSVTable, response: String) throws {
    var base: [String: String] = [:]
    for pair in AnalyzeCommand.list(baseline) {
      let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
      guard parts.count == 2 else { throw ValidationError("--baseline '\(pair)': expected factor=level") }
      base[parts[0]] = parts[1]
    }
    let pairs = try AnalyzeCommand.list(interactions).map { text -> (String, String) in
      let parts = text.split(separator: ":").map(String.init)
      guard parts.count == 2 else { throw ValidationError("--interactions '\(text)': expected a:b") }
      return (parts[0], parts[1])
    }
    let fit = try fail(exit: 2) {
      try Regression(
        table, response: response, factors: AnalyzeCommand.list(factors), baseline: base, interactions: pairs,
        level: level)
    }
    let percent = String(format: "%g", level * 100)
    let header = ["term", "effect", "se", "ci\(percent)_low", "ci\(percent)_high", "n"]
    let cells = fit.terms.map { t in
      [t.name] + [t.estimate, t.standardError, t.low, t.high].map { Self.cell($0, format) } + [String(t.n)]
    }
    if format == "table" {
      let baselines = fit.baseline.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
      print("OLS of \(response) on \(AnalyzeCommand.list(factors).joined(separator: ", ")); baseline \(baselines)")
      print("n = \(fit.n), R^2 = \(String(format: "%.4f", fit.rSquared))")
    }
    print(Self.render(header, cells, format: format))
  }

  static func cell(_ v: Double, _ format: String) -> String {
    if v.isNaN { return format == "json" ? "null" : "" }
    return format == "table" ? Terminal.number(v) : "\(v)"
  }

  static func render(_ header: [String], _ rows: [[String]], format: String) -> String {
    switch format {
    case "csv":
      return String(CSVWriter.text(([header] + rows).map { $0.map(Cell.string) }).dropLast())
    case "markdown":
      return
        (["| " + header.joined(separator: " | ") + " |", "|" + header.map { _ in "---|" }.joined()]
        + rows.map { "| " + $0.joined(separator: " | ") + " |" }).joined(separator: "\n")
    case "json":
      let objects = rows.map { row in
        Dictionary(
          uniqueKeysWithValues: zip(header, row).map { k, v -> (String, Any) in
            (k, v == "null" ? NSNull() : (Double(v).map { $0 as Any } ?? v))
          })
      }
      let data =
        (try? JSONSerialization.data(withJSONObject: objects, options: [.prettyPrinted, .sortedKeys])) ?? Data()
      return String(decoding: data, as: UTF8.self)
    default:
      return Terminal.table(header, rows)
    }
  }
}
