import Foundation
import Testing

@testable import Agora
@testable import AgoraCore
@testable import AgoraLanguageModel
@testable import AgoraModels
@testable import AgoraOutput
@testable import AgoraScenario
@testable import AgoraSweep

/// The matrix game, its presets and the logit QRE solver.
@Suite("Games: matrix and quantal response equilibrium")
struct MatrixGameTests {
  /// Asymmetric matching pennies (Goeree & Holt 2001): a unique, mixed Nash equilibrium, row (1/2, 1/2),
  /// column (1/10, 9/10).
  static let pennies = PayoffBimatrix(
    rowActions: ["up", "down"], columnActions: ["left", "right"], row: [[9, 0], [0, 1]], column: [[0, 1], [1, 0]])

  @Test("the QRE branch starts at uniform play, satisfies the fixed point, and tends to the mixed Nash equilibrium")
  func qreBranch() {
    let points = QuantalResponse.trace(Self.pennies, lambdas: [0, 1, 2])
    #expect(points[0].row == [0.5, 0.5] && points[0].column == [0.5, 0.5])
    for p in points {
      let eur = [9 * p.column[0], p.column[1]]
      let euc = [p.row[1], p.row[0]]
      let zr = eur.map { exp(p.lambda * $0) }.reduce(0, +)
      let zc = euc.map { exp(p.lambda * $0) }.reduce(0, +)
      #expect(abs(p.row[0] - exp(p.lambda * eur[0]) / zr) < 1e-9)
      #expect(abs(p.column[0] - exp(p.lambda * euc[0]) / zc) < 1e-9)
    }
    let nash = QuantalResponse.nashLimit(Self.pennies)
    #expect(abs(nash.row[0] - 0.5) < 1e-3)
    #expect(abs(nash.column[0] - 0.1) < 1e-3)
  }

  @Test("a pure dominant-strategy game: the QRE tends to mutual defection in the prisoner's dilemma")
  func qrePrisonersDilemma() {
    let nash = QuantalResponse.nashLimit(.preset(.prisonersDilemma))
    #expect(nash.row[1] > 0.999 && nash.column[1] > 0.999)
  }

  @Test(
    "agents at temperature 1/lambda with empirical-frequency beliefs settle near the logit QRE",
    arguments: [1.0, 2.0])
  func simulatedPlayNearQRE(lambda: Double) throws {
    let spec = try ScenarioLoader.load(
      yaml: """
        game:
          type: matrix
          matrix: {row_actions: [up, down], column_actions: [left, right], row: [[9, 0], [0, 1]], column: [[0, 1], [1, 0]]}
          rounds: 120
          roles: fixed
        population: {size: 1000, segments: [{name: a, decoding: {temperature: \(1 / lambda)}, memory: {window: 50, prior_weight: 1}}]}
        """)
    let result = try Experiment.run(spec)
    let up = result.stepColumns.firstIndex(of: "row_up_rate")!
    let left = result.stepColumns.firstIndex(of: "column_left_rate")!
    func mean(_ column: Int) -> Double {
      let late = result.stepRows.suffix(60)
      return late.map { row -> Double in
        if case .double(let v) = row[column] { return v }
        return .nan
      }.reduce(0, +) / Double(late.count)
    }
    let qre = QuantalResponse.trace(Self.pennies, lambdas: [lambda])[0]
    #expect(abs(mean(up) - qre.row[0]) < 0.03, "row up \(mean(up)) vs QRE \(qre.row[0])")
    #expect(abs(mean(left) - qre.column[0]) < 0.03, "column left \(mean(left)) vs QRE \(qre.column[0])")
  }

  /// A numeric step column, round by round (empty, and a recorded issue, when it is missing).
  static func steps(_ result: RunResult, _ column: String) -> [Double] {
    guard let k = result.stepColumns.firstIndex(of: column) else {
      Issue.record("no step column \(column)")
      return []
    }
    return result.stepRows.map { row in
      if case .double(let v) = row[k] { return v }
      return .nan
    }
  }

  /// The mean over the last `rounds` rounds of a step column (a share per round).
  static func lateMean(_ result: RunResult, _ column: String, rounds: Int) -> Double {
    let late = steps(result, column).suffix(rounds)
    return late.reduce(0, +) / Double(late.count)
  }

  @Test(
    "fictitious play at temperature 1/lambda converges within 0.03 of the logit QRE, at high lambda too",
    arguments: [0.5, 1.0, 2.0, 5.0, 10.0])
  func fictitiousPlayConvergesToQRE(lambda: Double) throws {
    let spec = try ScenarioLoader.load(
      yaml: """
        game:
          type: matrix
          matrix: {row_actions: [up, down], column_actions: [left, right], row: [[9, 0], [0, 1]], column: [[0, 1], [1, 0]]}
          rounds: 200
          roles: fixed
        population: {size: 1000, segments: [{name: a, decoding: {temperature: \(1 / lambda)}, memory: {learning: fictitious}}]}
        """)
    let result = try Experiment.run(spec)
    let up = Self.lateMean(result, "row_up_rate", rounds: 100)
    let left = Self.lateMean(result, "column_left_rate", rounds: 100)
    let qre = QuantalResponse.trace(Self.pennies, lambdas: [lambda])[0]
    #expect(abs(up - qre.row[0]) <= 0.03, "row up \(up) vs QRE \(qre.row[0])")
    #expect(abs(left - qre.column[0]) <= 0.03, "column left \(left) vs QRE \(qre.column[0])")
  }

  @Test("greedy fictitious players weigh the t-th action seen by t: two agents replay the formula round by round")
  func fictitiousBeliefsByHand() throws {
    let rounds = 40
    let w = 0.7
    let result = try TestSupport.run(
      """
      game:
        type: matrix
        matrix: {row_actions: [up, down], column_actions: [left, right], row: [[9, 0], [0, 1]], column: [[0, 2], [1, 0]]}
        rounds: \(rounds)
        roles: fixed
      population: {size: 2, segments: [{name: a, decoding: {temperature: 0}, memory: {learning: fictitious, prior_weight: \(w)}}]}
      """)
    // The row player's weighted count of `left` and the column player's of `up`; t actions seen weigh t(t+1)/2.
    var (left, up) = (0.0, 0.0)
    var expected: [(up: Double, left: Double)] = []
    for t in 0..<rounds {
      let total = w + Double(t * (t + 1)) / 2
      let q = (w / 2 + left) / total
      let p = (w / 2 + up) / total
      let (row, column) = (9 * q - (1 - q), (1 - p) - 2 * p)
      #expect(abs(row) > 1e-9 && abs(column) > 1e-9, "round \(t): a tie, which greedy decoding would break")
      let a = row > 0
      let b = column > 0
      expected.append((a ? 1 : 0, b ? 1 : 0))
      if b { left += Double(t + 1) }
      if a { up += Double(t + 1) }
    }
    #expect(Set(expected.map(\.up)).count == 2 && Set(expected.map(\.left)).count == 2, "both players switch")
    #expect(Self.steps(result, "row_up_rate") == expected.map(\.up))
    #expect(Self.steps(result, "column_left_rate") == expected.map(\.left))
  }

  @Test("a language-model agent under fictitious play is told every action it has seen, not a recent window")
  func fictitiousPrompt() {
    var game = MatrixGame(spec: MatrixParameters())
    game.counts = [3, 1, 0, 0]  // agent 0 as row has seen cooperate 3 times and defect once
    let question = game.actionPrompt(0, role: 0, everything: true).question
    #expect(question.hasSuffix("So far your opponents played cooperate 3 times, defect 1 times."), "\(question)")
    #expect(!game.actionPrompt(0, role: 0).question.contains("opponents played"))
  }

  @Test("fictitious play is the matrix game's: another model refuses it and names what it accepts")
  func fictitiousRefusedElsewhere() throws {
    let yaml =
      "game: {type: prisoners_dilemma}\npopulation: {size: 10, segments: [{name: a, memory: {learning: fictitious}}]}"
    let issue = #expect(throws: ScenarioIssue.self) { try ScenarioLoader.load(yaml: yaml) }
    #expect(issue?.path.hasSuffix("memory.learning") == true, "\(String(describing: issue))")
    #expect(issue?.message.contains("none or in_context") == true, "\(String(describing: issue))")
    // The matrix game accepts it.
    _ = try ScenarioLoader.load(
      yaml: "game: {type: matrix}\npopulation: {size: 10, segments: [{name: a, memory: {learning: fictitious}}]}")
  }

  @Test("presets, a bad table and action counts; one stage pays each player its cell")
  func matrixMechanics() throws {
    let result = try Experiment.run(
      ScenarioLoader.load(
        yaml: """
          game: {type: matrix, matrix: {preset: stag_hunt}, horizon: 2}
          matching: {type: round_robin}
          population: {size: 2, segments: [{name: a, decoding: {temperature: 0}, memory: {learning: none}}]}
          """))
    // Uniform beliefs: stag pays 2, hare 3, so both hunt hare twice: 3 + 3 each.
    #expect(result.payoffs == [6, 6])
    #expect(throws: ScenarioIssue.self) {
      try ScenarioLoader.load(
        yaml:
          "game: {type: matrix, matrix: {row: [[1, 2]], column: [[1, 2]]}}\npopulation: {size: 2, segments: [{name: a}]}"
      )
    }
  }

  @Test("built in Swift: greedy players of a 3 x 2 game play its dominant actions; every stage pays its cell")
  func directParameters() throws {
    var parameters = MatrixParameters()
    parameters.rounds = 3
    parameters.horizon = 2
    parameters.matrix = PayoffBimatrix(
      rowActions: ["top", "middle", "bottom"], columnActions: ["left", "right"], row: [[1, 2], [4, 6], [0, 5]],
      column: [[3, 1], [2, 0], [5, 4]])
    let segment = SegmentSpec(name: "greedy", share: 1, decoding: DecodingParameters(temperature: 0))
    let spec = try TestSupport.scenario(MatrixGame.self, parameters, size: 100, segments: [segment])
    let result = try Experiment.run(spec)
    let value = { (column: String) in TestSupport.number(result, column) }
    // middle strictly dominates for the row player (4 > 1, 0 and 6 > 2, 5), left for the column player
    // (3 > 1, 2 > 0, 5 > 4), whatever the beliefs: the cell (middle, left) pays 4 and 2.
    #expect(value("row_middle_rate") == 1)
    #expect(value("column_left_rate") == 1)
    #expect(value("mean_payoff_row") == 4)
    #expect(value("mean_payoff_column") == 2)
    // 50 pairs x 3 rounds x 2 stages of 4 + 2; the best cell pays 5 + 4, so the efficiency is 6 / 9.
    #expect(value("matches") == 150)
    #expect(value("total_payoff") == 6 * 300)
    #expect(abs(value("efficiency") - 6.0 / 9) < 1e-12)
  }

  @Test(
    "events.csv: two rows a stage that name each other, with the matrix's payoffs; the actions give the action rates, the payoffs each role's mean"
  )
  func events() throws {
    let (result, events, _) = try TestSupport.events(
      MatrixGame.self, "matrix.yaml", ["population.size=200", "game.rounds=5", "game.horizon=2"])
    let value = { (column: String) in TestSupport.number(result, column) }
    let (round, stage, agent, partner, role, action, partnerAction, payoff) = try (
      events.columnIndex("round"), events.columnIndex("stage"), events.columnIndex("agent"),
      events.columnIndex("partner"), events.columnIndex("role"), events.columnIndex("action"),
      events.columnIndex("partner_action"), events.columnIndex("payoff")
    )
    // 100 pairs a round, 5 rounds, 2 stages, two rows a stage.
    #expect(events.rows.count == 2 * 100 * 5 * 2)
    #expect(Double(events.rows.count) == 2 * 2 * value("matches"))
    let key = { (row: [String], a: Int) in [row[round], row[stage], row[a]].joined(separator: ",") }
    let byPlayer = Dictionary(events.rows.map { (key($0, agent), $0) }, uniquingKeysWith: { a, _ in a })
    #expect(byPlayer.count == events.rows.count, "a player has one row a stage")
    // Asymmetric matching pennies: row gets 9 at (up, left) and 1 at (down, right); column wins on a mismatch.
    let payoffs = ["row,up,left": 9.0, "row,down,right": 1, "column,right,up": 1, "column,left,down": 1]
    for row in events.rows {
      let other = byPlayer[key(row, partner)]
      #expect(other?[partner] == row[agent] && other?[action] == row[partnerAction] && other?[role] != row[role])
      #expect(
        Double(row[payoff]) == payoffs[[row[role], row[action], row[partnerAction]].joined(separator: ","), default: 0])
    }
    let rows = events.rows.filter { $0[role] == "row" }
    let columns = events.rows.filter { $0[role] == "column" }
    #expect(rows.count == columns.count)
    let up = Double(rows.filter { $0[action] == "up" }.count) / Double(rows.count)
    let left = Double(columns.filter { $0[action] == "left" }.count) / Double(columns.count)
    #expect(abs(up - value("row_up_rate")) < 1e-12 && abs(left - value("column_left_rate")) < 1e-12)
    let mean = { (rows: [[String]]) in rows.reduce(0) { $0 + (Double($1[payoff]) ?? .nan) } / Double(rows.count) }
    #expect(abs(mean(rows) - value("mean_payoff_row")) < 1e-12)
    #expect(abs(mean(columns) - value("mean_payoff_column")) < 1e-12)
  }
}
