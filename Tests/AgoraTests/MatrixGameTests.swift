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
}
