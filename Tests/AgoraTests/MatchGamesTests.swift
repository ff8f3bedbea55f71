import Foundation
import Testing

@testable import Agora
@testable import AgoraCore
@testable import AgoraLanguageModel
@testable import AgoraModels
@testable import AgoraOutput
@testable import AgoraScenario
@testable import AgoraSweep

/// Mechanics and theory checks of the match games: trust, public goods, prisoner's dilemma.
@Suite("Games: trust, public goods, prisoner's dilemma")
struct MatchGamesTests {
  func run(_ yaml: String, _ overrides: [String] = []) throws -> RunResult { try TestSupport.run(yaml, overrides) }
  func number(_ result: RunResult, _ column: String) -> Double { TestSupport.number(result, column) }

  // MARK: Trust

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

  // MARK: Public goods

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

  // MARK: Prisoner's dilemma

  @Test("selfish agents at temperature 0 defect, one-shot and repeated")
  func prisonersDilemmaDefect() throws {
    for horizon in [1, 10] {
      let result = try run(
        """
        game: {type: prisoners_dilemma, horizon: \(horizon), rounds: 3}
        population: {size: 100, segments: [{name: s, decoding: {temperature: 0}, memory: {prior_cooperation: 0.9}}]}
        """)
      #expect(number(result, "cooperation_rate") == 0)
      #expect(number(result, "mutual_cooperation_rate") == 0)
      #expect(number(result, "mean_stage_payoff") == 1)
    }
  }

  @Test("round-robin tournament scores of fixed strategies match hand-computed values (3 stages)")
  func tournament() throws {
    let result = try run(
      """
      game: {type: prisoners_dilemma, horizon: 3}
      matching: {type: round_robin}
      population:
        size: 5
        segments:
          - {name: tft, share: 0.2, strategy: tit_for_tat}
          - {name: alld, share: 0.2, strategy: always_defect}
          - {name: allc, share: 0.2, strategy: always_cooperate}
          - {name: grim, share: 0.2, strategy: grim}
          - {name: wsls, share: 0.2, strategy: win_stay_lose_shift}
      """)
    // Against (tft, alld, allc, grim, wsls), 3 stages, T=5 R=3 P=1 S=0:
    // tft:  -, CDD vs DDD = 0+1+1, 9, 9, 9              -> 29
    // alld: 5+1+1, -, 15, 7, wsls C,D,C vs D: 5+1+5     -> 40
    // allc: 9, 0, -, 9, 9                               -> 27
    // grim: 9, 2, 9, -, 9                               -> 29
    // wsls: 9, S+P+S = 0+1+0, 9, 9, -                   -> 28
    #expect(result.payoffs == [29, 40, 27, 29, 28])
    #expect(number(result, "mean_stage_payoff_alld_vs_wsls") == 11.0 / 3)
    #expect(number(result, "cooperation_rate_wsls_vs_alld") == 2.0 / 3)
    #expect(number(result, "matches") == 10)
  }

  @Test("noise flips moves at its rate; continuation gives matches of mean length 1 / (1 - delta)")
  func noiseAndContinuation() throws {
    let result = try run(
      """
      game: {type: prisoners_dilemma, continuation: 0.9, noise: 0.1, rounds: 20}
      population: {size: 2000, segments: [{name: c, strategy: always_cooperate}]}
      """)
    #expect(abs(number(result, "cooperation_rate") - 0.9) < 0.01)
    #expect(abs(number(result, "stages_per_match") - 10) < 0.4)
  }

  @Test("a fixed strategy outside the prisoner's dilemma, and a key of another game, are named errors")
  func errors() throws {
    #expect(throws: ScenarioIssue.self) {
      try ScenarioLoader.load(
        yaml: "game: {type: trust}\npopulation: {size: 10, segments: [{name: a, strategy: tit_for_tat}]}")
    }
    do {
      _ = try ScenarioLoader.load(yaml: "game: {type: trust, mpcr: 0.4}\npopulation: {size: 10, segments: [{name: a}]}")
      Issue.record("accepted mpcr in a trust game")
    } catch {
      #expect(error.path == "game.mpcr" && error.message.contains("public_goods"))
    }
    #expect(throws: ScenarioIssue.self) {
      try ScenarioLoader.load(
        yaml:
          "game: {type: public_goods}\nmatching: {type: random_pairs}\npopulation: {size: 10, segments: [{name: a}]}")
    }
    #expect(throws: ScenarioIssue.self) {
      try ScenarioLoader.load(
        yaml: "game: {type: prisoners_dilemma, payoffs: {T: 3, R: 5}}\npopulation: {size: 10, segments: [{name: a}]}")
    }
  }

  @Test("match games are deterministic for a seed and differ across seeds")
  func determinism() throws {
    let yaml = try String(
      contentsOfFile: TestSupport.repositoryRoot.path + "/Scenarios/public-goods.yaml", encoding: .utf8)
    let a = try run(yaml, ["population.size=400", "game.punishment=true"])
    let b = try run(yaml, ["population.size=400", "game.punishment=true"])
    let c = try run(yaml, ["population.size=400", "game.punishment=true", "seed=3"])
    #expect(a.payoffs == b.payoffs)
    #expect(a.payoffs != c.payoffs)
  }
}
