import Foundation
import Testing

@testable import Agora
@testable import AgoraCore
@testable import AgoraLanguageModel
@testable import AgoraModels
@testable import AgoraOutput
@testable import AgoraScenario
@testable import AgoraSweep

/// The shipped presets against the published numbers in the repository's `Validation/` (read here, never in the engine).
@Suite("Validation: presets against published targets")
struct ValidationTests {
  @Test(
    "every target of every shipped preset is met within its tolerance", arguments: PopulationPreset.builtIn.map(\.name))
  func presetMeetsTargets(name: String) throws {
    let preset = try PopulationPreset.load(name)
    let targets = try ValidationTarget.load(TestSupport.validation("\(preset.targets.file)"))
    let calibration = try Calibration(preset: preset, targets: targets)
    #expect(!calibration.targets.isEmpty)
    for row in try calibration.evaluate() {
      #expect(
        row.passes,
        "\(name): \(row.target.game) \(row.target.statistic) simulated \(row.simulated), target \(row.target.target) +- \(row.target.tolerance)"
      )
    }
  }

  @Test("a preset loads into a population whose shares sum to 1; a fitted preset file overrides its parameters")
  func presetFiles() throws {
    let spec = try ScenarioLoader.load(yaml: "game: {type: dictator}\npopulation: {preset: human, size: 100}")
    #expect(abs(spec.population.segments.map(\.share).reduce(0, +) - 1) < 1e-9)
    let file = TestSupport.temporaryDirectory() + "/fitted.yaml"
    try "base: llm_selfish\nparameters:\n  temperature: 0.25\n".write(toFile: file, atomically: true, encoding: .utf8)
    let fitted = try ScenarioLoader.load(yaml: "game: {type: dictator}\npopulation: {preset: \(file), size: 10}")
    #expect(fitted.population.segments[0].decoding.temperature == 0.25)
    #expect(throws: ScenarioIssue.self) {
      try ScenarioLoader.load(yaml: "game: {type: dictator}\npopulation: {preset: humen, size: 10}")
    }
  }

  @Test("Nelder-Mead through GSL lowers the loss of a preset that starts off target")
  func calibrationImproves() throws {
    let targets = try ValidationTarget.load(TestSupport.validation("llm_targets.csv"))
    let start = PopulationPreset.llmSelfish.with(["prior_cooperation": 0.9, "guilt": 1.5, "reciprocity": 0.1])
    let calibration = try Calibration(preset: start, targets: targets)
    let before = calibration.loss(try calibration.evaluate())
    let (_, after) = try calibration.fit(evaluations: 40)
    #expect(before > 4)
    #expect(after < before / 2)
  }
}
