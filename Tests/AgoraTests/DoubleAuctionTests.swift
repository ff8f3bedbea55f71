import Foundation
import Testing

@testable import Agora
@testable import AgoraCore
@testable import AgoraLanguageModel
@testable import AgoraModels
@testable import AgoraOutput
@testable import AgoraScenario
@testable import AgoraSweep

@Suite("Games: double auction")
struct DoubleAuctionTests {
  @Test("the competitive equilibrium of a hand-made market")
  func equilibrium() {
    // Demand 10, 8, 6; supply 2, 5, 9: two trades, surplus 8 + 3, prices in [6, 8].
    let ce = DoubleAuction.competitiveEquilibrium(values: [6, 10, 8], costs: [9, 2, 5])
    #expect(ce.quantity == 2)
    #expect(ce.surplus == 11)
    #expect(ce.price == 7)
  }

  @Test(
    "zero-intelligence (ZI-C) traders reach allocative efficiency above 90% (Gode & Sunder 1993)", arguments: [1, 2, 3])
  func zeroIntelligence(seed: Int) throws {
    let result = try Experiment.run(
      ScenarioLoader.load(
        yaml: """
          seed: \(seed)
          game: {type: double_auction, stake: 100, rounds: 6}
          population: {size: 200, segments: [{name: zi, strategy: zero_intelligence}]}
          """))
    guard case .double(let efficiency)? = result["efficiency"] else {
      Issue.record("no efficiency")
      return
    }
    #expect(efficiency > 0.9 && efficiency <= 1 + 1e-9, "efficiency \(efficiency)")
    // Surplus is conserved: the agents' payoffs add up to the realised surplus of all periods.
    guard case .double(let total)? = result["total_payoff"], case .double(let ce)? = result["ce_price"] else {
      Issue.record("no total")
      return
    }
    #expect(total > 0 && ce > 0)
  }

  @Test("LLM-style traders trade, and only at prices between the two sides' valuations")
  func decoderTraders() throws {
    let result = try Experiment.run(
      ScenarioLoader.load(
        yaml: """
          game: {type: double_auction, stake: 100, rounds: 4}
          population: {size: 100, segments: [{name: llm, decoding: {temperature: 0.05}}]}
          """))
    #expect(result.payoffs.allSatisfy { $0 >= -1e-9 }, "nobody trades at a loss")
    guard case .double(let efficiency)? = result["efficiency"] else { return }
    #expect(efficiency > 0.5 && efficiency <= 1 + 1e-9)
  }

  @Test("built in Swift: with every value 150 and every cost 50 each trade realises 100, at a price in between")
  func directParameters() throws {
    var parameters = DoubleAuctionParameters()
    parameters.rounds = 3
    parameters.values = .constant(150)
    parameters.costs = .constant(50)
    var segment = SegmentSpec(name: "zi", share: 1)
    segment.strategy = "zero_intelligence"
    let spec = try TestSupport.scenario(DoubleAuction.self, parameters, size: 100, segments: [segment])
    let result = try Experiment.run(spec)
    let value = { (column: String) in TestSupport.number(result, column) }
    // 50 buyers and 50 sellers: all 50 units trade in the competitive equilibrium, at any price in [50, 150].
    #expect(value("ce_quantity") == 50)
    #expect(value("ce_price") == 100)
    let trades = value("trades_per_period") * 3
    #expect(trades > 0 && trades <= 3 * 50)
    // Whatever the price, a trade moves value 150 - cost 50 = 100 of surplus to the two traders.
    #expect(abs(value("total_payoff") - 100 * trades) < 1e-6)
    #expect(abs(value("efficiency") - value("quantity_ratio")) < 1e-9)
    #expect(result.payoffs.allSatisfy { $0 >= 0 }, "a zero-intelligence trader never trades at a loss")
    #expect(value("mean_price") >= 50 && value("mean_price") <= 150)
  }
}
