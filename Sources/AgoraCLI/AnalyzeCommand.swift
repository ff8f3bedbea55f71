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
      agora analyze Results/glee/summary.csv --regress efficiency,fairness --factors delta_a,delta_b,stake,horizon \
      --baseline delta_a=0.9,delta_b=0.9 [--interactions delta_a:delta_b] [--interval z]

      A regression prints GLEE's table form, one row per coefficient: family, metric, parameter, value, effect,
      ci_low, ci_high, se, n, with each factor's baseline level as a row of effect 0.
      """)

  @Argument(help: "A CSV file (a sweep's summary.csv, a run's steps.csv, ...).")
  var file: String

  @Option(help: "Comma-separated grouping columns.")
  var by: String?

  @Option(help: "Comma-separated metric columns (default: every numeric column that is not an id or grouping).")
  var metrics: String?

  @Option(help: "Regress these metrics (comma-separated), each on --factors (one-hot, OLS).")
  var regress: String?

  @Option(help: "Comma-separated factor columns for --regress.")
  var factors: String?

  @Option(help: "Baseline levels for --regress, e.g. delta_a=0.9,stake=100 (default: each factor's first level).")
  var baseline: String?

  @Option(help: "Interaction terms for --regress, e.g. delta_a:delta_b (comma-separated).")
  var interactions: String?

  @Option(help: "Confidence level.")
  var level = 0.95

  @Option(help: "A regression's intervals: t (Student's, on the residual degrees of freedom) or z (normal, GLEE's).")
  var interval: String = "t"

  @Option(
    help: ArgumentHelp(
      "The family column of a regression's rows (default: the table's game column, else the game of the "
        + "scenario.yaml or manifest.json beside the file)."))
  var family: String?

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
    if regress != nil && AnalyzeCommand.list(regress).isEmpty { throw ValidationError("--regress needs a metric") }
    guard Regression.Interval(rawValue: interval) != nil else { throw ValidationError("--interval must be t or z") }
  }

  func run() throws {
    // The columns named are all that is kept; without --metrics, every column (the numeric ones are summarised).
    var named: [String]? = nil
    if let regress {
      named = AnalyzeCommand.list(regress) + AnalyzeCommand.list(factors)
      if family == nil && Self.header(of: file).contains("game") { named?.append("game") }
    } else if !AnalyzeCommand.list(metrics).isEmpty {
      named = AnalyzeCommand.list(by) + AnalyzeCommand.list(metrics)
    }
    if let regress {
      // A regression holds its columns (a sweep's summary.csv: small).
      let table = try fail(exit: 2) { try CSVTable(contentsOf: file, keeping: named) }
      try regression(table, responses: AnalyzeCommand.list(regress))
      return
    }
    // A summary reads the file a chunk at a time and holds the groups' numbers only (twice without --metrics:
    // first to find the numeric columns).
    let groups = AnalyzeCommand.list(by)
    var wanted = AnalyzeCommand.list(metrics)
    if wanted.isEmpty {
      let ids: Set<String> = ["run_index", "seed", "point", "repetition", "step", "time", "agent_id"]
      let (finite, infinite) = try fail(exit: 2) {
        try Summary.numericColumns(path: file, excluding: ids.union(groups))
      }
      if !infinite.isEmpty {
        Terminal.note("not summarised (inf or nan has no mean): \(infinite.joined(separator: ", "))")
      }
      wanted = finite
    }
    let rows = try fail(exit: 2) { try Summary.stream(path: file, by: groups, metrics: wanted, level: level) }
    let percent = String(format: "%g", level * 100)
    let header = groups + ["metric", "n", "mean", "sd", "ci\(percent)_low", "ci\(percent)_high"]
    let cells = rows.map { r in
      r.group + [r.metric, String(r.n)] + [r.mean, r.sd, r.low, r.high].map { Self.cell($0, format) }
    }
    print(Self.render(header, cells, format: format))
  }

  func regression(_ table: CSVTable, responses: [String]) throws {
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
    let kind = Regression.Interval(rawValue: interval) ?? .t
    let name = family ?? Self.family(of: table, file: file)
    let percent = String(format: "%g", level * 100)
    var cells: [[String]] = []
    for response in responses {
      let fit = try fail(exit: 2) {
        try Regression(
          table, response: response, factors: AnalyzeCommand.list(factors), baseline: base, interactions: pairs,
          level: level, interval: kind)
      }
      if format == "table" {
        let baselines = fit.factors.map { "\($0)=\(fit.baseline[$0] ?? "")" }.joined(separator: ", ")
        print(
          "OLS of \(response) on \(fit.factors.joined(separator: ", ")); baseline \(baselines); n = \(fit.n), "
            + "R^2 = \(String(format: "%.4f", fit.rSquared)); \(percent)% \(kind == .z ? "normal" : "t") intervals")
      }
      cells += fit.table.map { t in
        [name, response, t.parameter, t.value]
          + [t.estimate, t.low, t.high, t.standardError].map { Self.cell($0, format) }
          + [String(t.n)]
      }
    }
    let header = ["family", "metric", "parameter", "value", "effect", "ci_low", "ci_high", "se", "n"]
    print(Self.render(header, cells, format: format))
  }

  /// The column names on the first line of the CSV file at `path` (none if it cannot be read).
  static func header(of path: String) -> [String] {
    guard let handle = FileHandle(forReadingAtPath: path) else { return [] }
    defer { try? handle.close() }
    let start = (try? handle.read(upToCount: 65_536)) ?? Data()
    let line = start.split(separator: UInt8(ascii: "\n"), maxSplits: 1).first ?? Data()
    return String(decoding: line, as: UTF8.self).split(separator: ",").map {
      $0.trimmingCharacters(in: CharacterSet(charactersIn: "\"\r"))
    }
  }

  /// The game a table's rows come from: its `game` column when it has one value, else the game of the
  /// `scenario.yaml` (a sweep's) or `manifest.json` (a run's) beside the file; empty if none says.
  static func family(of table: CSVTable, file: String) -> String {
    if let k = table.columns.firstIndex(of: "game") {
      let games = Set(table.rows.map { $0[k] })
      if games.count == 1, let game = games.first { return game }
    }
    let folder = URL(fileURLWithPath: file).deletingLastPathComponent()
    if let spec = try? ScenarioLoader.load(file: folder.appendingPathComponent("scenario.yaml").path) {
      return spec.game.type.rawValue
    }
    if let data = try? Data(contentsOf: folder.appendingPathComponent("manifest.json")),
      let manifest = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
      let scenario = manifest["scenario"] as? [String: Any], let game = scenario["game"] as? [String: Any],
      let type = game["type"] as? String
    {
      return type
    }
    return ""
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
