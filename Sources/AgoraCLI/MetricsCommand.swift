import Agora
import ArgumentParser
import Foundation

/// `agora metrics`: every inequality metric of one column of any CSV file.
struct MetricsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "metrics",
    abstract: "Print the inequality metrics (Gini, Theil, Atkinson, Jain, Hoover, Nash welfare, ...) of a CSV column.",
    discussion:
      "Applies Agora's definitions to any data, e.g. agora metrics Results/x/seed-1/agents.csv --column payoff --by segment"
  )

  enum Format: String, ExpressibleByArgument, CaseIterable { case table, csv, json }

  @Argument(help: "A CSV file with a header row.")
  var file: String

  @Option(help: "The column of non-negative amounts.")
  var column: String

  @Option(help: "Compute per group of this column.")
  var by: String?

  @Option(help: "Output format: table, csv or json.")
  var format: Format = .table

  func run() throws {
    let groups: [(group: String, values: [Double])]
    do {
      // Read a chunk at a time: only the amounts (by group) are held, not the file.
      groups = try CSVStream.numbers(path: file, column: column, groupedBy: by)
    } catch {
      Terminal.error("\(error)")
      throw ExitCode(2)
    }
    var rows: [(String, Int, [(String, Double)])] = []
    for (name, values) in groups {
      do {
        rows.append((name, values.count, try Inequality.all(values)))
      } catch {
        Terminal.error("\(file), column \(column)\(by == nil ? "" : ", group \(name)"): \(error)")
        throw ExitCode(2)
      }
    }
    let metricNames = rows.first?.2.map(\.0) ?? []
    let groupColumn = by ?? "group"
    switch format {
    case .table:
      print(
        Terminal.table(
          [groupColumn, "n"] + metricNames, rows.map { [$0.0, String($0.1)] + $0.2.map { Terminal.number($0.1) } }))
    case .csv:
      let header = ([groupColumn, "n"] + metricNames).map(Cell.string)
      print(
        CSVWriter.text([header] + rows.map { [.string($0.0), .int($0.1)] + $0.2.map { .double($0.1) } }), terminator: ""
      )
    case .json:
      let objects: [[String: Any]] = rows.map { row in
        var o: [String: Any] = [groupColumn: row.0, "n": row.1]
        for (k, v) in row.2 { o[k] = v.isFinite ? v : (v > 0 ? "inf" : "nan") }
        return o
      }
      let data = try JSONSerialization.data(withJSONObject: objects, options: [.prettyPrinted, .sortedKeys])
      print(String(decoding: data, as: UTF8.self))
    }
  }
}
