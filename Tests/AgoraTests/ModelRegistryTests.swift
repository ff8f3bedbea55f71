import Testing

@testable import Agora

/// The registry that `Experiment.run` dispatches through.
@Suite("Model registry")
struct ModelRegistryTests {
  @Test("every game type has exactly one registered model, and it runs a small scenario of that type")
  func everyTypeRuns() throws {
    for type in GameType.allCases {
      #expect(ModelRegistry.entries.filter { $0.type == type }.count == 1, "\(type.rawValue)")
    }
    #expect(ModelRegistry.entries.count == GameType.allCases.count)
    for file in RobustnessTests.scenarioFiles {
      let spec = try ScenarioLoader.load(file: file, overrides: ["population.size=40", "game.rounds=2"])
      if spec.population.segments.contains(where: { $0.policy == .llm }) { continue }
      let result = try Experiment.run(spec)
      #expect(TestSupport.number(result, "population_size") == 40, "\(file)")
      #expect(result.segmentRows.count == spec.population.segments.count, "\(file)")
      #expect(result.segmentRows.allSatisfy { $0.count == result.segmentColumns.count }, "\(file): ragged segments")
      #expect(result.stepRows.allSatisfy { $0.count == result.stepColumns.count }, "\(file): ragged steps")
    }
  }
}
