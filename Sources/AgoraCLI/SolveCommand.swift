import Agora
import ArgumentParser
import Foundation

/// `agora solve`: game-theoretic solutions to set beside simulated play.
struct SolveCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "solve", abstract: "Solve a game: logit quantal response equilibria.",
    subcommands: [QRECommand.self])
}

/// `agora solve qre`: the logit QRE of a matrix game at given lambdas, and the Nash limit.
struct QRECommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "qre",
    abstract: "The logit quantal response equilibrium of a matrix (or prisoner's dilemma) game.",
    discussion: """
      Traces the principal branch from lambda = 0 (uniform play) by continuation and prints each player's mixed \
      strategy at every --lambda, then the Nash limit (lambda = 10^4). In Agora, a population at decoding \
      temperature T whose beliefs are its opponents' recent frequencies plays near the QRE with lambda = 1/T.
      """)

  @OptionGroup var scenario: ScenarioOptions

  @Option(help: "Comma-separated lambdas (precision parameters).")
  var lambda: String = "0.5,1,2,5"

  @Option(help: "Output format: table, csv or json.")
  var format: String = "table"

  func run() throws {
    let spec = try scenario.load()
    guard let matrix = (spec.game.parameters as? any NormalFormParameters)?.normalForm else {
      Terminal.error("\(scenario.file): game.type \(spec.game.type.rawValue) is not a normal-form game; use matrix")
      throw ExitCode(2)
    }
    let values = lambda.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
    guard !values.isEmpty, values.allSatisfy({ $0 != nil && $0! >= 0 && $0!.isFinite }) else {
      throw ValidationError("--lambda '\(lambda)': expected comma-separated numbers >= 0")
    }
    let points = QuantalResponse.trace(matrix, lambdas: values.map { $0! }) + [QuantalResponse.nashLimit(matrix)]
    let header =
      ["lambda"] + matrix.rowActions.map { "row_\($0.snakeCased)" }
      + matrix.columnActions.map { "column_\($0.snakeCased)" }
      + ["row_payoff", "column_payoff"]
    let rows = points.enumerated().map { i, p in
      [i == points.count - 1 ? "nash_limit" : "\(p.lambda)"]
        + (p.row + p.column + [p.rowPayoff, p.columnPayoff]).map {
          String(format: "%.6f", $0)
        }
    }
    switch format {
    case "csv": print(([header] + rows).map { $0.joined(separator: ",") }.joined(separator: "\n"))
    case "json":
      let objects = rows.map { row in Dictionary(uniqueKeysWithValues: zip(header, row)) }
      let data = try JSONSerialization.data(withJSONObject: objects, options: [.prettyPrinted, .sortedKeys])
      print(String(decoding: data, as: UTF8.self))
    default:
      print("logit QRE of \(matrix.name ?? "the matrix game") in \(scenario.file)")
      print(Terminal.table(header, rows))
    }
  }
}
