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
}
