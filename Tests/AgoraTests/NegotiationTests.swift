import Foundation
import Testing

@testable import Agora
@testable import AgoraCore
@testable import AgoraLanguageModel
@testable import AgoraModels
@testable import AgoraOutput
@testable import AgoraScenario
@testable import AgoraSweep

/// GLEE's negotiation game: who takes the surplus, from YAML and from parameters built in Swift.
@Suite("Games: negotiation (GLEE)")
struct NegotiationTests {
  func run(_ yaml: String, _ overrides: [String] = []) throws -> RunResult { try TestSupport.run(yaml, overrides) }
  func number(_ result: RunResult, _ column: String) -> Double { TestSupport.number(result, column) }

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

  @Test("built in Swift: a trade pays seller and buyer value_b - value_a stakes in all, whatever the price")
  func directParameters() throws {
    var parameters = NegotiationParameters()
    parameters.stake = 20
    parameters.offerStep = 1
    parameters.rounds = 2
    parameters.valueA = 0.5
    parameters.valueB = 1.5
    parameters.horizon = Horizon(rounds: 4)
    let segment = SegmentSpec(name: "noisy", share: 1, decoding: DecodingParameters(temperature: 0.5))
    let spec = try TestSupport.scenario(Negotiation.self, parameters, size: 200, segments: [segment])
    let result = try Experiment.run(spec)
    #expect(number(result, "matches") == 200)
    let trades = number(result, "trade_rate") * 200
    #expect(trades > 0, "noisy negotiators trade at some price")
    // The seller gets price - value_a, the buyer value_b - price: the price cancels.
    #expect(abs(number(result, "total_payoff") - 20 * (1.5 - 0.5) * trades) < 1e-6)
    let gains = number(result, "self_gain_alice") + number(result, "self_gain_bob")
    #expect(abs(gains - (1.5 - 0.5) * number(result, "trade_rate")) < 1e-9)
  }

  @Test("an untold horizon stops after untold_rounds (GLEE: 30), and no match runs longer")
  func untoldHorizon() throws {
    var p = NegotiationParameters()
    p.horizon = .unbounded
    #expect(p.played == 30)
    p.untoldRounds = 3
    #expect(p.played == 3)
    p.horizon = Horizon(rounds: 7)
    #expect(p.played == 7)
    // Hot, undecided negotiators: many matches reach the cap; none goes past it.
    let result = try TestSupport.run(
      """
      game: {type: negotiation, horizon: unbounded, untold_rounds: 3, rounds: 4}
      population: {size: 200, segments: [{name: a, share: 1, decoding: {temperature: 5}}]}
      """)
    #expect(number(result, "rounds_to_trade") <= 3)
    #expect(
      Negotiation.eventsPerAgentRound(
        try ScenarioLoader.load(
          yaml: "game: {type: negotiation, horizon: unbounded}\n"
            + "population: {size: 2, segments: [{name: a, share: 1}]}")) == 30)
  }
}
