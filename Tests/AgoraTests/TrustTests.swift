import Foundation
import Testing

@testable import Agora
@testable import AgoraCore
@testable import AgoraLanguageModel
@testable import AgoraModels
@testable import AgoraOutput
@testable import AgoraScenario
@testable import AgoraSweep

/// The trust game: investors' beliefs and trustees' guilt, from YAML and from parameters built in Swift.
@Suite("Games: trust")
struct TrustTests {
  func run(_ yaml: String, _ overrides: [String] = []) throws -> RunResult { try TestSupport.run(yaml, overrides) }
  func number(_ result: RunResult, _ column: String) -> Double { TestSupport.number(result, column) }

  @Test("selfish agents at temperature 0 with full information: the investor sends nothing", arguments: [true, false])
  func trustSelfish(learn: Bool) throws {
    let memory = learn ? "{window: 10, prior_cooperation: 0.5}" : "{learning: none, prior_cooperation: 0}"
    let result = try run(
      """
      game: {type: trust, stake: 10, offer_step: 1, rounds: \(learn ? 30 : 1)}
      population: {size: 200, segments: [{name: selfish, decoding: {temperature: 0}, memory: \(memory)}]}
      """)
    if learn {
      let steps = result.stepRows.last!
      let column = result.stepColumns.firstIndex(of: "share_sent")!
      #expect(steps[column] == .double(0), "after learning that nothing comes back")
    } else {
      #expect(number(result, "share_sent") == 0)
      #expect(number(result, "efficiency") == 1.0 / 3)
    }
  }

  @Test(
    "a trustee returns nothing if guilt < 1/2 and equalises payoffs if guilt > 1/2 (Fehr-Schmidt)",
    arguments: [0.3, 0.7])
  func trusteeGuilt(guilt: Double) throws {
    let result = try run(
      """
      game: {type: trust, stake: 10, offer_step: 1, rounds: 1}
      population:
        size: 400
        segments:
          - {name: a, preferences: {guilt: \(guilt)}, decoding: {temperature: 0}, memory: {learning: none, prior_cooperation: 1}}
      """)
    // An investor sure of repayment gains by sending: own 1 + s/2 against the trustee's 3s/2, so s = 1.
    #expect(number(result, "share_sent") == 1)
    // Equal payoffs: the investor gets 3 r E, the trustee 3 (1 - r) E, so r = 1/2 (on the grid of tenths).
    #expect(number(result, "share_returned") == (guilt < 0.5 ? 0 : 0.5))
  }

  @Test(
    "built in Swift: an investor sure of a half return sends all iff the multiplier exceeds 2; payoffs add up",
    arguments: [(1.5, 0.0), (2.5, 1.0)])
  func directParameters(multiplier: Double, sent: Double) throws {
    var parameters = TrustParameters()
    parameters.stake = 10
    parameters.offerStep = 1
    parameters.rounds = 3
    parameters.multiplier = multiplier
    var segment = SegmentSpec(name: "selfish", share: 1, decoding: DecodingParameters(temperature: 0))
    segment.memory.learning = .none
    segment.memory.priorCooperation = 1
    let spec = try TestSupport.scenario(Trust.self, parameters, size: 200, segments: [segment])
    let result = try Experiment.run(spec)
    // Sure that half of m s comes back, a selfish investor keeps 1 - s + m s / 2 of the stake: rising in s iff m > 2.
    #expect(number(result, "share_sent") == sent)
    // A selfish trustee returns nothing; a match pays 1 + (m - 1) s stakes in all, 100 matches a round.
    #expect(number(result, "matches") == 300)
    let surplus = 1 + (multiplier - 1) * sent
    #expect(abs(number(result, "total_payoff") - 10 * surplus * 300) < 1e-9)
    #expect(abs(number(result, "efficiency") - surplus / max(multiplier, 1)) < 1e-12)
  }
}

extension TrustTests {
  @Test(
    "a language-model trustee's transcript line has its utilities by motive: payoffs and the investor's kindness",
    .timeLimit(.minutes(4)))
  func surrogateFeatures() throws {
    let server = try TestServer()
    let lines = try LanguageModelTests.transcribed { cache in
      """
      name: trust-llm
      seed: 2
      game: {type: trust, stake: 10, offer_step: 1, multiplier: 3, rounds: 2}
      population:
        size: 20
        segments:
          - {name: model, policy: llm, llm: {base_url: "\(server.url)/v1", model: test, cache: "\(cache)"}}
      """
    }.lines
    let returns = lines.filter { $0["kind"] as? String == "trust.return" }
    #expect(!returns.isEmpty && lines.contains { $0["kind"] as? String == "trust.invest" })
    for line in returns {
      // Returning share r of what it holds (3s): own 3s(1 - r), other 1 - s + 3sr, kindness s, both in stakes.
      let basis = try #require(line["utility_basis"] as? [[Double]])
      #expect(basis.count == 11 && line["amount"] as? Bool == true && line["salient"] as? Int == 5)
      let s = basis[0][0] / 3
      for (k, row) in basis.enumerated() {
        let r = Double(k) / 10
        let (own, other) = (3 * s * (1 - r), 1 - s + 3 * s * r)
        let expected = [own, -max(other - own, 0), -max(own - other, 0), s * other, other, 0]
        #expect(zip(row, expected).allSatisfy { abs($0 - $1) < 1e-12 }, "option \(k): \(row) against \(expected)")
      }
    }
  }
}
