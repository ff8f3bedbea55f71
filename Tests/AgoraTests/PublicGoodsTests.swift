import Foundation
import Testing

@testable import Agora
@testable import AgoraCore
@testable import AgoraLanguageModel
@testable import AgoraModels
@testable import AgoraOutput
@testable import AgoraScenario
@testable import AgoraSweep

/// The public goods game: guilt, free riding and punishment, from YAML and from parameters built in Swift.
@Suite("Games: public goods")
struct PublicGoodsTests {
  func run(_ yaml: String, _ overrides: [String] = []) throws -> RunResult { try TestSupport.run(yaml, overrides) }
  func number(_ result: RunResult, _ column: String) -> Double { TestSupport.number(result, column) }

  @Test(
    "with group-mates contributing fully, an agent contributes fully iff MPCR + guilt >= 1 (Fehr-Schmidt)",
    arguments: [(0.4, 0.5), (0.4, 0.7), (0.7, 0.2), (0.7, 0.4)])
  func publicGoodsGuilt(mpcr: Double, guilt: Double) throws {
    let result = try run(
      """
      game: {type: public_goods, stake: 20, offer_step: 1, mpcr: \(mpcr), rounds: 1}
      matching: {type: groups, size: 4}
      population:
        size: 400
        segments:
          - {name: a, preferences: {guilt: \(guilt)}, decoding: {temperature: 0}, memory: {learning: none, prior_cooperation: 1}}
      """)
    #expect(number(result, "contribution_share") == (mpcr + guilt >= 1 ? 1 : 0))
  }

  @Test("selfish agents at temperature 0: contributions go to 0, with and without learning; payoffs add up")
  func publicGoodsSelfish() throws {
    let result = try run(
      """
      game: {type: public_goods, stake: 20, offer_step: 1, mpcr: 0.4, rounds: 5}
      matching: {type: groups, size: 4, partner: true}
      population: {size: 402, segments: [{name: s, decoding: {temperature: 0}, memory: {prior_cooperation: 1}}]}
      """)
    #expect(number(result, "contribution_share") == 0)
    #expect(number(result, "efficiency") == 1 / 1.6)
    let mean: Double = 5 * 20 * 400 / 402
    #expect(number(result, "mean_payoff") == mean)
    // 100 groups of 4 play; 2 agents sit out every round. Each player keeps its endowment: 5 rounds x 20.
    #expect(number(result, "total_payoff") == 400 * 5 * 20)
    #expect(number(result, "matches") == 500)
  }

  @Test("punishment: envious agents punish a free rider (cost 1, impact 3); payoffs account for every point")
  func punishment() throws {
    let result = try run(
      """
      game: {type: public_goods, stake: 20, offer_step: 1, mpcr: 0.4, rounds: 1, punishment: true, punishment_max: 2}
      matching: {type: groups, size: 4}
      population:
        size: 4000
        segments:
          - {name: cooperators, share: 0.75, preferences: {guilt: 0.8, envy: 2}, decoding: {temperature: 0}, memory: {learning: none, prior_cooperation: 1}}
          - {name: free-riders, share: 0.25, decoding: {temperature: 0}, memory: {learning: none, prior_cooperation: 0}}
      """)
    let spent = number(result, "punishment_spent")
    let received = number(result, "punishment_received")
    #expect(spent > 0)
    #expect(abs(received - 3 * spent) < 1e-9)
    let contribution: Double = number(result, "contribution_share") * 20 * 4000
    let kept: Double = 4000 * 20 - contribution + 1.6 * contribution
    let expected: Double = kept - (spent + received) * 4000
    #expect(abs(number(result, "total_payoff") - expected) < 1e-6)
  }

  @Test(
    "built in Swift: a member earns stake (1 - c + MPCR sum c), so total payoff = stake members (1 + (MPCR n - 1) C)",
    arguments: [(3, 0.5), (4, 0.25), (5, 0.9)])
  func directParameters(groupSize: Int, mpcr: Double) throws {
    var parameters = PublicGoodsParameters()
    parameters.stake = 10
    parameters.offerStep = 1
    parameters.rounds = 4
    parameters.mpcr = mpcr
    let segment = SegmentSpec(name: "noisy", share: 1, decoding: DecodingParameters(temperature: 1))
    var spec = try TestSupport.scenario(PublicGoods.self, parameters, size: 60, segments: [segment])
    spec.matching.size = groupSize
    let result = try Experiment.run(spec)
    // 60 agents in groups of n (all play), 4 rounds: 240 contributions with mean share C.
    let share = number(result, "contribution_share")
    #expect(share > 0 && share < 1, "noisy members contribute some of their endowment, not all or nothing")
    #expect(number(result, "matches") == Double(60 / groupSize * 4))
    // A group's members earn n - S + n MPCR S endowments in all (S the sum of contributed shares); at MPCR = 1/n
    // the pot returns exactly what went in.
    let expected = 10 * 240 * (1 + (mpcr * Double(groupSize) - 1) * share)
    #expect(abs(number(result, "total_payoff") - expected) < 1e-9 * expected)
  }

  @Test(
    "the strategy method: a free rider states all zeros, a conditional cooperator (guilt, envy) the diagonal",
    arguments: [("{}", 0.0, 1.0, 0.0), ("{guilt: 0.8, envy: 0.5}", 1.0, 0.0, 1.0)])
  func strategyMethod(preferences: String, slope: Double, freeRiders: Double, cooperators: Double) throws {
    let result = try run(
      """
      game: {type: public_goods, stake: 20, offer_step: 1, mpcr: 0.4, rounds: 3, strategy_method: true}
      matching: {type: groups, size: 4}
      population: {size: 40, segments: [{name: a, preferences: \(preferences), decoding: {temperature: 0}}]}
      """)
    #expect(abs(number(result, "mean_schedule_slope") - slope) < 1e-9)
    #expect(number(result, "share_free_riders") == freeRiders)
    #expect(number(result, "share_conditional_cooperators") == cooperators)
    // The schedule's entry where the others give half: nothing for the free rider, half for the cooperator.
    #expect(abs(number(result, "conditional_contribution_50") - 0.5 * slope) < 1e-9)
    let slopes = try #require(result.agentValues.first { $0.column.name == "schedule_slope" }).values
    #expect(slopes.allSatisfy { abs($0 - slope) < 1e-9 })
    // Each member contributes its schedule's entry at its belief (prior 0.5, then what it saw: the diagonal keeps it).
    #expect(abs(number(result, "contribution_share") - 0.5 * slope) < 1e-9)
  }
}
