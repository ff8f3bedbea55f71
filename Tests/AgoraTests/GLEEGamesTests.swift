import Foundation
import Testing

@testable import Agora
@testable import AgoraCore
@testable import AgoraLanguageModel
@testable import AgoraModels
@testable import AgoraOutput
@testable import AgoraScenario
@testable import AgoraSweep

/// GLEE's bargaining, negotiation and persuasion families: theory checks and metric definitions.
@Suite("Games: bargaining, negotiation, persuasion (GLEE)")
struct GLEEGamesTests {
  func run(_ yaml: String, _ overrides: [String] = []) throws -> RunResult { try TestSupport.run(yaml, overrides) }
  func number(_ result: RunResult, _ column: String) -> Double { TestSupport.number(result, column) }

  static let selfish = "population: {size: 200, segments: [{name: s, decoding: {temperature: 0}}]}"

  @Test(
    "selfish bargainers with an untold horizon agree at once on Rubinstein's (1 - dB)/(1 - dA dB), on the grid",
    arguments: [(0.9, 0.8), (0.95, 0.9), (0.8, 0.95), (1.0, 0.9)])
  func rubinstein(deltaA: Double, deltaB: Double) throws {
    let result = try run(
      "game: {type: bargaining, stake: 100, offer_step: 1, delta_a: \(deltaA), delta_b: \(deltaB), horizon: unbounded}\n"
        + GLEEGamesTests.selfish)
    let share = (1 - deltaB) / (1 - deltaA * deltaB)
    #expect(number(result, "agreement_rate") == 1)
    #expect(number(result, "rounds_to_agreement") == 1)
    #expect(abs(number(result, "alice_share") - (share * 100).rounded(.down) / 100) < 1e-9)
    // GLEE's metrics on agreement in round 1 at Alice's share p: efficiency 1, fairness 1 - 4 (p - 1/2)^2.
    let p = number(result, "alice_share")
    #expect(abs(number(result, "efficiency") - 1) < 1e-12)
    #expect(abs(number(result, "fairness") - (1 - 4 * (p - 0.5) * (p - 0.5))) < 1e-12)
    #expect(abs(number(result, "self_gain_alice") - p) < 1e-12)
  }

  @Test("with a told finite horizon, selfish bargainers agree at once on the backward-induction split")
  func backwardInduction() throws {
    let result = try run(
      "game: {type: bargaining, stake: 100, offer_step: 1, delta_a: 0.9, delta_b: 0.8, horizon: 12}\n"
        + GLEEGamesTests.selfish)
    // x_12 = 1 (Bob proposes); x_t = 1 - d_responder * x_(t+1), alternating: x_1 = 0.61477...
    var x = 1.0
    for t in stride(from: 11, through: 1, by: -1) { x = 1 - (t % 2 == 1 ? 0.8 : 0.9) * x }
    #expect(abs(x - 0.6147756) < 1e-6)
    #expect(number(result, "rounds_to_agreement") == 1)
    #expect(abs(number(result, "alice_share") - 0.61) < 1e-9)
  }

  @Test(
    "a reservation on the offer grid is a tie both sides accept: selfish bargainers agree in round 1, efficiency 1",
    arguments: [(3, 0.9, 0.8, 1.0), (3, 0.6, 0.5, 10.0), (4, 1.0, 0.8, 1.0), (6, 0.8, 0.5, 1.0)])
  func reservationOnGrid(horizon: Int, deltaA: Double, deltaB: Double, step: Double) throws {
    // Horizon 3, deltas (0.9, 0.8): Bob's reservation 0.8 (1 - 0.9) = 0.08 is a grid point that the proposer
    // counted as accepted but the responder, by a rounding error, rejected: agreement came in round 2 at efficiency
    // 0.89. The other cases were delayed the same way (0.56, 0.84, 0.668).
    let result = try run(
      "game: {type: bargaining, stake: 100, offer_step: \(step), delta_a: \(deltaA), delta_b: \(deltaB), "
        + "horizon: \(horizon)}\n" + GLEEGamesTests.selfish)
    var x = 1.0
    for t in stride(from: horizon - 1, through: 1, by: -1) { x = 1 - (t % 2 == 1 ? deltaB : deltaA) * x }
    #expect(abs((x * 100 / step).rounded() - x * 100 / step) < 1e-9, "the split \(x) is on the grid")
    #expect(number(result, "agreement_rate") == 1)
    #expect(number(result, "rounds_to_agreement") == 1)
    #expect(abs(number(result, "alice_share") - x) < 1e-9)
    #expect(abs(number(result, "efficiency") - 1) < 1e-12)
  }

  @Test("a bargaining deal in round t is discounted: efficiency dA^(t-1) p + dB^(t-1) (1 - p)")
  func discountedDeal() throws {
    // Bob rejects everything in round 1 (envy), so a deal, if any, comes later and is worth less.
    let result = try run(
      """
      game: {type: bargaining, stake: 100, offer_step: 5, delta_a: 0.9, delta_b: 0.9, horizon: 4}
      population: {size: 400, segments: [{name: s, decoding: {temperature: 0.05}}]}
      """)
    #expect(number(result, "efficiency") <= 1)
    #expect(number(result, "self_gain_alice") + number(result, "self_gain_bob") <= number(result, "efficiency") + 1e-9)
  }

  @Test(
    "selfish negotiators trade at once; the last told proposer takes the surplus; untold, they split it",
    arguments: [("1", 1.2), ("2", 0.8), ("3", 1.2), ("10", 0.8), ("unbounded", 1.0)])
  func negotiation(horizon: String, price: Double) throws {
    let result = try run(
      "game: {type: negotiation, stake: 100, offer_step: 5, value_a: 0.8, value_b: 1.2, horizon: \(horizon)}\n"
        + GLEEGamesTests.selfish)
    #expect(number(result, "trade_rate") == 1)
    #expect(abs(number(result, "mean_price") - price) < 1e-9)
    #expect(number(result, "efficiency") == 1)
    let gap = price - 1.0
    #expect(abs(number(result, "fairness") - (1 - 4 * gap * gap)) < 1e-9)
    #expect(abs(number(result, "self_gain_alice") - (price - 0.8)) < 1e-9)
  }

  @Test("without gains from trade selfish negotiators do not trade, which GLEE counts as efficient")
  func noGains() throws {
    let result = try run(
      "game: {type: negotiation, stake: 100, offer_step: 5, value_a: 1.5, value_b: 0.8, horizon: 10}\n"
        + GLEEGamesTests.selfish)
    #expect(number(result, "trade_rate") == 0)
    #expect(number(result, "efficiency") == 1)
    #expect(number(result, "fairness") == 1)
  }

  @Test("myopic buyers facing selfish sellers' cheap talk ignore the messages")
  func cheapTalkIgnored() throws {
    for value in [3.0, 1.5] {
      let result = try run(
        """
        game: {type: persuasion, stake: 100, quality_prior: 0.5, buyer_value: \(value), buyer: myopic}
        population: {size: 4200, segments: [{name: s, decoding: {temperature: 0}}]}
        """)
      let positive = number(result, "purchase_rate_after_positive")
      let negative = number(result, "purchase_rate_after_negative")
      #expect(number(result, "honesty_rate") < 0.5)
      #expect(negative.isNaN || abs(positive - negative) < 0.08, "value \(value): \(positive) vs \(negative)")
    }
  }

  @Test("honest sellers make claims credible: buyers buy after 'high' and pass after 'low'")
  func honestClaims() throws {
    let result = try run(
      """
      game: {type: persuasion, stake: 100, quality_prior: 0.3, buyer_value: 2, buyer: long_lived}
      population: {size: 400, segments: [{name: s, preferences: {honesty: 2}, decoding: {temperature: 0}}]}
      """)
    #expect(number(result, "honesty_rate") == 1)
    #expect(number(result, "purchase_rate_after_negative") == 0)
    // The first "high" claim is not yet credible (0.3 * 2 < 1); once one has proved true, every one sells.
    #expect(number(result, "purchase_rate_after_positive") > 0.75)
    // GLEE: efficiency = high-quality rounds bought / high-quality rounds; fairness = low rounds not bought / low rounds.
    #expect(number(result, "fairness") == 1)
    #expect(number(result, "efficiency") > 0.75)
  }

  @Test("GLEE's sweep files describe the full grids: 384, 576 and 360 configurations")
  func gleeGrids() throws {
    for (file, count) in [("glee_bargaining", 384), ("glee_negotiation", 576), ("glee_persuasion", 360)] {
      let path = TestSupport.repositoryRoot.path + "/Scenarios/sweeps/\(file).yaml"
      let spec = try SweepSpec.load(file: path)
      let scenario =
        spec.scenario.hasPrefix("/") ? spec.scenario : FileManager.default.currentDirectoryPath + "/" + spec.scenario
      let template = try ScenarioTemplate(file: scenario)
      let plan = try SweepPlan(spec, template: template)
      #expect(plan.points.count == count, "\(file)")
    }
  }
}
