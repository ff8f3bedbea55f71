import Foundation
import Testing

@testable import Agora
@testable import AgoraCore
@testable import AgoraLanguageModel
@testable import AgoraModels
@testable import AgoraOutput
@testable import AgoraScenario
@testable import AgoraSweep

/// GLEE's three games as a family: the selfish population their tests share, and the sweep grids.
@Suite("Games: GLEE family (bargaining, negotiation, persuasion)")
struct GLEEGamesTests {
  /// A selfish population of 200 that decodes by argmax (the bargaining and negotiation tests use it).
  static let selfish = "population: {size: 200, segments: [{name: s, decoding: {temperature: 0}}]}"

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

  /// games.csv is GLEE's unit: one row per game, played in order, whose per-game values average to the summary's
  /// metrics (the clipped `glee_*` means clip the same average; a metric undefined for a game is empty and left out
  /// of its mean, as GLEE drops it), so a regression per game and one of run means see the same data.
  @Test(
    "games.csv: one row per game, averaging to the summary's metrics",
    arguments: [
      ("bargaining", ["efficiency", "fairness", "self_gain_alice", "self_gain_bob", "glee_fairness"]),
      ("negotiation", ["efficiency", "fairness", "self_gain_alice", "self_gain_bob", "glee_efficiency"]),
      ("persuasion", ["efficiency", "fairness", "self_gain_seller", "self_gain_buyer", "glee_self_gain_buyer"]),
    ])
  func gameRows(game: String, metrics: [String]) throws {
    let spec = try ScenarioLoader.load(
      file: TestSupport.repositoryRoot.path + "/Scenarios/\(game).yaml",
      overrides: ["population.size=400", "game.rounds=2"])
    let folder = TestSupport.temporaryDirectory()
    let (result, files) = try RunFolder.execute(spec, into: folder, report: false)
    #expect(files.contains("games.csv") && files.contains(DataDictionary.fileName(for: "games.csv")))
    let games = try CSVTable(contentsOf: folder + "/games.csv")
    #expect(Double(games.rows.count) == TestSupport.number(result, "matches"))
    let (round, index) = try (games.columnIndex("round"), games.columnIndex("game"))
    #expect(games.rows.map { $0[round] } == games.rows.indices.map { $0 < games.rows.count / 2 ? "1" : "2" })
    #expect(games.rows.map { $0[index] } == games.rows.indices.map { String($0 % (games.rows.count / 2)) })
    for metric in metrics {
      let k = try games.columnIndex(metric)
      let values = games.rows.compactMap { Double($0[k]) }
      let mean = values.reduce(0, +) / Double(values.count)
      let expected = TestSupport.number(result, metric)
      let clipped = metric.hasPrefix("glee_") && game != "persuasion" ? min(1, max(0, mean)) : mean
      #expect(abs(clipped - expected) < 1e-9, "\(game) \(metric): \(clipped) vs \(expected)")
    }
  }
}
