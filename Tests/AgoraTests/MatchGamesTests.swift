import Foundation
import Testing

@testable import Agora
@testable import AgoraCore
@testable import AgoraLanguageModel
@testable import AgoraModels
@testable import AgoraOutput
@testable import AgoraScenario
@testable import AgoraSweep

/// The match family as a whole (trust, public goods, prisoner's dilemma): errors and determinism.
@Suite("Games: match family")
struct MatchGamesTests {
  func run(_ yaml: String, _ overrides: [String] = []) throws -> RunResult { try TestSupport.run(yaml, overrides) }

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

  @Test(
    "trust, bargaining and negotiation log their interactions (output.events): the accepted ones carry every payoff",
    arguments: ["trust", "bargaining", "negotiation"])
  func events(game: String) throws {
    let file = TestSupport.repositoryRoot.path + "/Scenarios/\(game).yaml"
    let spec = try ScenarioLoader.load(file: file, overrides: ["output.events=true", "population.size=60"])
    var events: [Interaction] = []
    let result = try Experiment.run(spec) { events.append($0) }
    #expect(!events.isEmpty)
    let accepted = events.filter(\.accepted)
    let paid = events.reduce(0) { $0 + $1.proposerPayoff + $1.responderPayoff }
    #expect(abs(paid - TestSupport.number(result, "total_payoff")) < 1e-6 * max(1, abs(paid)), "\(game)")
    #expect(events.allSatisfy { $0.accepted || ($0.proposerPayoff == 0 && $0.responderPayoff == 0) || game == "trust" })
    #expect(events.allSatisfy { $0.proposer != $0.responder && $0.time >= 1 })
    switch game {
    case "trust":
      // One event per investment, sent amounts within the endowment.
      #expect(Double(events.count) == TestSupport.number(result, "matches"))
      #expect(events.allSatisfy { $0.offer >= 0 && $0.offer <= 10 + 1e-9 })
    default:
      // One accepted proposal per agreement, at most one per game.
      let games = TestSupport.number(result, "matches")
      let rate = TestSupport.number(result, game == "bargaining" ? "agreement_rate" : "trade_rate")
      #expect(abs(Double(accepted.count) - rate * games) < 1e-6, "\(game)")
    }
  }
}
