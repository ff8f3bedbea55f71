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
}
