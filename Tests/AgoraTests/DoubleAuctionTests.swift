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
}
